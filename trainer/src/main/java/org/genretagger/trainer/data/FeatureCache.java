package org.genretagger.trainer.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.features.LogMel;
import org.genretagger.plugin.features.MelParameters;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.trainer.augment.Augmentation;

/**
 * Mel power frames of every clip, clean (variant 0) and augmented (variants 1..n), computed once
 * with the plugin's decoder and log-mel code and kept in memory and on disk. Pitch shift and time
 * stretch are far too slow to run per window per epoch on two cores; drawing random windows from
 * a few precomputed variants per clip keeps training bound by the network, not by augmentation.
 */
public final class FeatureCache {
    private final Path dir;
    private final ModelConfig config;
    private final Augmentation augmenter;
    private final long seed;
    private final Map<String, float[][]> frames = new ConcurrentHashMap<>();

    /**
     * @param dir where cached frames are kept between runs
     * @param config feature parameters
     * @param augmenter makes the augmented variants
     * @param seed seeds every variant, so reruns get the same data
     */
    public FeatureCache(Path dir, ModelConfig config, Augmentation augmenter, long seed) {
        this.dir = dir;
        this.config = config;
        this.augmenter = augmenter;
        this.seed = seed;
    }

    /**
     * Computes (or loads) the variants of every clip, in parallel.
     *
     * @param clips the clips
     * @param variants how many augmented variants besides the clean one
     * @param threads worker threads
     * @param progress told once per finished clip variant
     * @throws IOException if a clip cannot be decoded
     */
    public void prepare(List<Clip> clips, int variants, int threads, IntConsumer progress) throws IOException {
        Files.createDirectories(dir);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> jobs = new java.util.ArrayList<>();
            for (Clip c : clips) {
                jobs.add(pool.submit(() -> {
                    for (int v = 0; v <= variants; v++) {
                        load(c, v);
                        progress.accept(1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw new IOException(c.getMessage(), c);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * @param clip a prepared clip
     * @param variant 0 for clean audio, 1..n for augmented
     * @return its frames, {@code [frame][mel]}
     */
    public float[][] frames(Clip clip, int variant) {
        float[][] f = frames.get(id(clip, variant));
        if (f == null) {
            throw new IllegalStateException("not prepared: " + clip.key() + " variant " + variant);
        }
        return f;
    }

    private void load(Clip clip, int variant) throws IOException {
        String id = id(clip, variant);
        Path file = dir.resolve(id.replace('/', '_') + ".mel");
        float[][] f = Files.isRegularFile(file) ? read(file) : null;
        if (f == null) {
            f = compute(clip, variant);
            write(file, f);
        }
        frames.put(id, f);
    }

    private float[][] compute(Clip clip, int variant) throws IOException {
        float[] samples = AudioDecoder.decodeAll(clip.file(), config.sampleRate);
        if (variant > 0) {
            Random rng = new Random(seed * 1_000_003L + clip.key().hashCode() * 31L + variant);
            samples = augmenter.augment(samples, config.sampleRate, rng);
        }
        MelParameters p = TrackAnalyzer.melParameters(config);
        return transpose(new LogMel(p).melPower(samples));
    }

    /**
     * @param melMajor {@code [mel][frame]}
     * @return {@code [frame][mel]}
     */
    public static float[][] transpose(float[][] melMajor) {
        int mels = melMajor.length;
        int n = melMajor[0].length;
        float[][] out = new float[n][mels];
        for (int m = 0; m < mels; m++) {
            for (int t = 0; t < n; t++) {
                out[t][m] = melMajor[m][t];
            }
        }
        return out;
    }

    private String id(Clip clip, int variant) {
        return clip.key() + "-v" + variant;
    }

    private static float[][] read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int n = in.readInt();
            int mels = in.readInt();
            float[][] f = new float[n][mels];
            for (float[] row : f) {
                for (int m = 0; m < mels; m++) {
                    row[m] = in.readFloat();
                }
            }
            return f;
        } catch (IOException e) {
            return null; // a torn cache file is recomputed
        }
    }

    private static void write(Path file, float[][] f) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(f.length);
            out.writeInt(f.length == 0 ? 0 : f[0].length);
            for (float[] row : f) {
                for (float v : row) {
                    out.writeFloat(v);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
