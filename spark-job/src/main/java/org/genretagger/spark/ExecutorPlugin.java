package org.genretagger.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.host.PluginFolder;

/**
 * The genre plugin as loaded in one executor JVM: once per JVM, through PF4J, so MXNet, FFmpeg and
 * Jaudiotagger live in the plugin's own class loader, away from Spark's classpath. Every task of
 * the executor shares it (the classifier is thread-safe and batches windows across its callers).
 *
 * <p>A model folder is one of two kinds, told apart by its {@code config.json}: a model made by
 * {@code host-demo learn} (a head over the plugin's base network, run through
 * {@link GenreClassifier#forModel}, as {@code host-demo classify --model} does), or a whole network
 * (config and weights) run instead of the bundled one ({@code -Dgenretagger.model}).
 */
final class ExecutorPlugin {
    /** {@code "kind"} of a {@code config.json} written by {@code learn} (the plugin's UserModel.KIND). */
    private static final Pattern LEARNED = Pattern.compile("\"kind\"\\s*:\\s*\"genre-tagger learned model\"");

    /** A classifier and the model it runs. */
    record Loaded(GenreClassifier classifier, ModelInfo model) {}

    private static GenreClassifier base;
    private static Loaded bundled;
    private static final Map<Path, Loaded> LEARNED_MODELS = new HashMap<>();

    private ExecutorPlugin() {}

    /**
     * @param zip the plugin zip as this executor sees it
     * @param modelDir a model folder as this executor sees it; null for the plugin's bundled model
     * @param ompThreads MXNet OpenMP threads: the cores one task may use
     * @return the classifier, the plugin loaded on the first call in this JVM
     */
    static synchronized Loaded classifier(Path zip, Path modelDir, int ompThreads) {
        boolean learned = modelDir != null && learned(modelDir);
        if (base == null) {
            // Read by the plugin when its engine starts (before MXNet loads).
            System.setProperty("genretagger.ompThreads", Integer.toString(ompThreads));
            if (modelDir != null && !learned) {
                System.setProperty("genretagger.model", modelDir.toAbsolutePath().toString());
            }
            GenreClassifier c = load(zip);
            // Loads the model now: a model that cannot load fails the task, not every track.
            bundled = new Loaded(c, c.modelInfo());
            base = c;
        }
        if (!learned) {
            return bundled;
        }
        Loaded l = LEARNED_MODELS.get(modelDir);
        if (l == null) {
            try {
                GenreClassifier c = base.forModel(modelDir);
                l = new Loaded(c, c.modelInfo());
            } catch (ClassificationException e) {
                throw new IllegalStateException("cannot use the learned model " + modelDir + ": " + e.getMessage(), e);
            }
            LEARNED_MODELS.put(modelDir, l);
        }
        return l;
    }

    /**
     * @param modelDir a model folder
     * @return whether it holds a model made by {@code learn}
     */
    static boolean learned(Path modelDir) {
        try {
            return LEARNED.matcher(Files.readString(modelDir.resolve("config.json"))).find();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("the model folder " + modelDir + " holds no config.json", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + modelDir.resolve("config.json"), e);
        }
    }

    private static GenreClassifier load(Path zip) {
        // PF4J unpacks the zip beside itself: a private folder, removed when the JVM ends.
        return PluginFolder.ofZip(zip).extension(GenreClassifier.class)
                .orElseThrow(() -> new IllegalStateException("the plugin zip " + zip + " provides no GenreClassifier"));
    }
}
