package org.genretagger.plugin.learn;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreScore;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.TrackPrediction;
import org.genretagger.api.WindowPrediction;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.Softmax;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.SoftmaxRegression;

/**
 * A model learned from a user's own tagged tracks: a {@link SoftmaxRegression} over the base network's
 * mean window embedding, its genres and their written names, calibration and threshold, and the
 * identity of the base network it was learned on. Stored as the model folder's
 * {@code config.json}; refused when the plugin's base network is another one, since the head
 * only fits the embedding it learned from.
 */
public final class UserModel {
    static final String KIND = "genre-tagger learned model";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** The base network a learned model was learned on. */
    public static final class Base {
        /** Its name. */
        public String name;
        /** Its version. */
        public String version;
        /** SHA-256 of its weights file (hex). */
        public String weightsSha256;
    }

    /** What this file is. */
    public String kind = KIND;
    /** Format version of this file. */
    public int format = 1;
    /** When it was learned (ISO-8601). */
    public String created;
    /** Genre keys (normalised), in head order. */
    public List<String> labels = List.of();
    /** Written names, parallel to labels: what tags get. */
    public List<String> genres = List.of();
    /** The base network. */
    public Base base = new Base();
    /** The classifier over the mean embedding. */
    public SoftmaxRegression head;
    /** Softmax temperature fitted on the held-out albums. */
    public double temperature = 1;
    /** Below this top probability a retag writes nothing by default. */
    public double defaultMinConfidence;
    /** What that threshold means, with the count it rests on. */
    public String thresholdMeaning = "";
    /**
     * Windows per track whose mean embedding the head learned from; a retag with this model
     * classifies as many unless told otherwise. 0 (models learned before this field): the base
     * network's default.
     */
    public int sampleWindows = 0;
    /** How the model was made, one line: the command's options. */
    public String learnedWith = "";

    /** @return the analysis a retag with this model runs unless told otherwise; null for the base's default */
    public Analysis defaultAnalysis() {
        return sampleWindows > 0 ? new Analysis(sampleWindows) : null;
    }

    /**
     * @param dir a model folder
     * @return its model
     * @throws IOException if there is no readable learned model in it
     */
    public static UserModel read(Path dir) throws IOException {
        Path file = dir.resolve(GenreModel.CONFIG_FILE);
        UserModel m;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            m = GSON.fromJson(r, UserModel.class);
        } catch (NoSuchFileException e) {
            throw new IOException(dir + ": no " + GenreModel.CONFIG_FILE + " (is this a folder written by learn?)");
        } catch (JsonParseException e) {
            throw new IOException(file + ": not a learned model (" + e.getMessage() + ")");
        }
        if (m == null || !KIND.equals(m.kind) || m.head == null || m.labels.size() != m.genres.size()
                || m.head.bias() == null || m.head.bias().length != m.labels.size()) {
            throw new IOException(file + ": not a learned model written by learn");
        }
        return m;
    }

    /**
     * @param dir where to write {@code config.json}
     * @throws IOException if unwritable
     */
    void write(Path dir) throws IOException {
        try (Writer w = Files.newBufferedWriter(dir.resolve(GenreModel.CONFIG_FILE), StandardCharsets.UTF_8)) {
            GSON.toJson(this, w);
        }
    }

    /**
     * Refuses a base network other than the one learned on.
     *
     * @param model the plugin's base network
     * @param dir the model folder, for the message
     * @throws ClassificationException saying which base differs and what to do
     */
    public void requireBase(GenreModel model, Path dir) throws ClassificationException {
        ModelConfig c = model.config();
        if (!c.name.equals(base.name) || !c.version.equals(base.version) || !model.weightsSha256().equals(base.weightsSha256)) {
            throw new ClassificationException(dir + " was learned on base network " + base.name + " " + base.version
                    + " (weights sha256 " + abbreviate(base.weightsSha256) + "), but this plugin runs " + c.name + " " + c.version
                    + " (weights sha256 " + abbreviate(model.weightsSha256()) + "); learn it again with this plugin: "
                    + (learnedWith.isEmpty() ? "host-demo learn DIR --out " + dir : learnedWith));
        }
    }

    private static String abbreviate(String sha) {
        return sha == null ? "unknown" : sha.length() > 12 ? sha.substring(0, 12) + "…" : sha;
    }

    /**
     * @param meanEmbedding a track's mean window embedding
     * @return calibrated probabilities, one per genre
     */
    double[] probabilities(float[] meanEmbedding) {
        float[] l = head.logits(meanEmbedding);
        Softmax.inPlace(l, temperature);
        double[] p = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            p[i] = l[i];
        }
        return p;
    }

    /**
     * The verdict for a track from its window embeddings: the head on their mean, as it was
     * trained; the timeline from the head on each window.
     *
     * @param base the base network's verdict (for the file, length and window times)
     * @param embeddings its windows' embeddings, in window order
     * @return the verdict in this model's genres
     */
    public TrackPrediction predict(TrackPrediction base, float[][] embeddings) {
        double[] p = probabilities(mean(embeddings));
        List<WindowPrediction> timeline = new ArrayList<>();
        for (int i = 0; i < embeddings.length && i < base.timeline().size(); i++) {
            double[] w = probabilities(embeddings[i]);
            timeline.add(new WindowPrediction(base.timeline().get(i).startSeconds(), Arrays.stream(w).boxed().toList()));
        }
        Integer[] order = new Integer[p.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        List<GenreScore> scores = new ArrayList<>();
        for (int k : order) {
            scores.add(new GenreScore(genres.get(k), labels.get(k), p[k]));
        }
        return new TrackPrediction(base.file(), scores, base.seconds(), timeline);
    }

    /**
     * @param windows window embeddings, at least one
     * @return their mean
     */
    static float[] mean(float[][] windows) {
        float[] m = new float[windows[0].length];
        for (float[] w : windows) {
            for (int j = 0; j < m.length; j++) {
                m[j] += w[j];
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= windows.length;
        }
        return m;
    }

    /**
     * The base network's config with this model's genres, calibration and threshold: what a
     * retag run needs to know of the model it tags with.
     *
     * @param baseConfig the base network's config
     * @return the combined config
     */
    public ModelConfig asConfig(ModelConfig baseConfig) {
        ModelConfig c = baseConfig.copy();
        c.labels = labels;
        c.genres = genres;
        c.temperature = temperature;
        c.defaultMinConfidence = defaultMinConfidence;
        c.thresholdMeaning = thresholdMeaning;
        return c;
    }

    /**
     * @param dir the model folder
     * @param baseConfig the base network's config
     * @return the model's description for hosts
     */
    public ModelInfo info(Path dir, ModelConfig baseConfig) {
        return new ModelInfo("learned:" + dir.getFileName(), created, labels, genres, baseConfig.sampleRate,
                baseConfig.windowSeconds(), baseConfig.windowHopSeconds(), defaultMinConfidence, thresholdMeaning);
    }
}
