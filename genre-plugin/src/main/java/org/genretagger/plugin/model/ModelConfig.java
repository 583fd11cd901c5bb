package org.genretagger.plugin.model;

import org.genretagger.plugin.network.GenreNet;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a model needs besides its weights: labels, the feature and window parameters it was
 * trained with, its network shape and its calibration. Stored as {@code config.json} beside the
 * weights, so features can never drift from what the model was trained on.
 */
public final class ModelConfig {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** Model name, e.g. {@code gtzan-cnn}. */
    public String name = "genre-cnn";
    /** Version or training date. */
    public String version = "0";
    /** Output labels in network order. */
    public List<String> labels = List.of();
    /** Display names written into tags, parallel to labels. */
    public List<String> genres = List.of();

    /** Sample rate audio is resampled to. */
    public int sampleRate = 22050;
    /** FFT size of the STFT. */
    public int nFft = 2048;
    /** STFT hop, in samples. */
    public int hopLength = 512;
    /** Number of mel bands. */
    public int nMels = 128;
    /** Lowest mel frequency, Hz. */
    public double fmin = 0;
    /** Highest mel frequency, Hz; 0 for sample rate / 2. */
    public double fmax = 0;
    /** Whether the STFT's centring pad reflects the signal (librosa 0.7, musicnn) instead of zeros. */
    public boolean reflectPad = false;
    /** Hann window length inside the FFT frame; 0 for {@code nFft}. */
    public int winLength = 0;
    /** Whether the Hann window is symmetric (PyTorch's {@code periodic=False}) rather than librosa's periodic one. */
    public boolean symmetricWindow = false;
    /** {@code slaney} (librosa) or {@code kaldi} (torchaudio) mel filters. */
    public String melScale = "slaney";
    /** Pre-emphasis coefficient applied before the STFT; 0 for none. */
    public double preEmphasis = 0;

    /**
     * The network: {@code cnn} (the from-scratch {@link GenreNet}) or a pretrained base with a
     * linear head on its evidence ({@code musicnn}, {@code vgg}: see {@link PretrainedNet};
     * {@code efficientat}: see {@link EfficientAtNet}).
     */
    public String network = GenreNet.CNN;
    /** The pretrained base the weights start from: its name, source and digests. */
    public BaseModel base = null;

    /**
     * A second pretrained base heard beside this one, or null: the config of the imported base (its
     * front end, network, normalisation, patch length and digests; its labels are its own outputs).
     * Each window's evidence is then this base's followed by the mean of the companion's evidence
     * (its embedding and its own outputs) over {@link #companionPatches} patches inside the window.
     */
    public ModelConfig companion = null;
    /** Companion patches per window, spread evenly over it. */
    public int companionPatches = 0;

    /** Frames per analysis window. */
    public int windowFrames = 128;
    /** Frames between the starts of consecutive windows. */
    public int windowHopFrames = 64;
    /**
     * How a window is normalised before the network sees it. {@code db-window-standardise}: power to
     * dB relative to the window's maximum, floored at {@code topDb} below it, then zero mean and
     * unit variance over the window.
     */
    public String normalisation = WindowNormaliser.DB_WINDOW_STANDARDISE;
    /** Dynamic range kept below a window's maximum, dB. */
    public double topDb = 80;
    /**
     * For {@code log10-10000x-float16} and {@code ln-1e-5-affine-4.5-5}: the level, in dB of mean mel power, each window is brought
     * to before the log (gain limited to {@link WindowNormaliser#MAX_LEVEL_GAIN_DB}), so a quiet
     * recording sounds to the network like a loud one; null leaves windows as they are, as musicnn
     * was trained.
     */
    public Double levelDb = null;

    /** Output channels of each convolution block. */
    public List<Integer> channels = List.of(16, 32, 64, 128);
    /** Dropout before the classifier layer. */
    public double dropout = 0.3;

    /**
     * The label of the class that means "not music" (speech, noise, tones, silence), or null when
     * the model has none. A track whose top label it is gets no genre written.
     */
    public String notMusicLabel = null;

    /** Softmax temperature fitted on validation data; 1 means uncalibrated. */
    public double temperature = 1.0;
    /** Threshold below which a retag writes nothing by default. */
    public double defaultMinConfidence = 0.0;
    /** What that threshold means, in one sentence. */
    public String thresholdMeaning = "";
    /** Windows sampled per track by default, 0 for all. */
    public int defaultSampleWindows = 0;
    /** File name of the weights beside this config. */
    public String weights = "model.params";

    /**
     * Identity of a pretrained base network, so a model built on it can refuse another.
     *
     * @param name e.g. {@code MSD_musicnn}
     * @param source where it came from (file, repository, commit)
     * @param sha256 of the file the weights were imported from
     * @param paramsSha256 of the base's arrays as imported ({@link BaseNetwork#baseSha256}): a model
     *     whose base arrays differ is refused when it loads
     */
    public record BaseModel(String name, String source, String sha256, String paramsSha256) {}

    /** @return the window length in seconds */
    public double windowSeconds() {
        return (double) windowFrames * hopLength / sampleRate;
    }

    /** @return the values of one window as the network takes it: the window, then any companion patches */
    public int inputSize() {
        int size = nMels * windowFrames;
        return companion == null ? size : size + companionPatches * companion.nMels * companion.windowFrames;
    }

    /**
     * Where a companion patch starts: the window's start in the companion's frames, plus the patch's
     * place among {@link #companionPatches} spread evenly from the window's first frame to its last.
     * Trainer and plugin both cut patches here.
     *
     * @param windowStart the window's first frame (this config's frames)
     * @param patch 0 .. companionPatches - 1
     * @return the patch's first frame (the companion's frames)
     */
    public long companionStart(long windowStart, int patch) {
        double companionFramesPerFrame = (double) hopLength / sampleRate * companion.sampleRate / companion.hopLength;
        long first = Math.round(windowStart * companionFramesPerFrame);
        long span = (long) Math.floor(windowFrames * companionFramesPerFrame);
        long free = Math.max(0, span - companion.windowFrames);
        return first + (companionPatches == 1 ? free / 2 : free * patch / (companionPatches - 1));
    }

    /** @return the window hop in seconds */
    public double windowHopSeconds() {
        return (double) windowHopFrames * hopLength / sampleRate;
    }

    /** @return the number of classes */
    public int numClasses() {
        return labels.size();
    }

    /**
     * @param reader JSON
     * @return the config
     */
    public static ModelConfig read(Reader reader) {
        ModelConfig c = GSON.fromJson(reader, ModelConfig.class);
        c.validate();
        return c;
    }

    /**
     * @param file a config.json
     * @return the config
     * @throws IOException if unreadable
     */
    public static ModelConfig read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(r);
        }
    }

    /**
     * @param file where to write JSON
     * @throws IOException if unwritable
     */
    public void write(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            GSON.toJson(this, w);
        }
    }

    /** @return a deep enough copy to change scalar fields independently */
    public ModelConfig copy() {
        return GSON.fromJson(GSON.toJson(this), ModelConfig.class);
    }

    private void validate() {
        if (labels.isEmpty() || labels.size() != genres.size()) {
            throw new IllegalArgumentException("model config: labels and genres must be non-empty and of equal length");
        }
        if (!WindowNormaliser.known(normalisation)) {
            throw new IllegalArgumentException("model config: unknown normalisation '" + normalisation + "'");
        }
        if (windowFrames < 16 || windowHopFrames < 1) {
            throw new IllegalArgumentException("model config: window too short");
        }
        if (companion != null) {
            companion.validate();
            if (companionPatches < 1) {
                throw new IllegalArgumentException("model config: a companion base needs companionPatches >= 1");
            }
        }
    }
}
