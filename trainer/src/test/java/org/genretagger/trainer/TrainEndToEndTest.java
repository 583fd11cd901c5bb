package org.genretagger.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.genretagger.api.TrackPrediction;
import org.genretagger.plugin.analysis.TrackAnalyzer;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.trainer.augment.Augmenter;
import org.genretagger.trainer.data.Clip;
import org.genretagger.trainer.data.Dataset;
import org.genretagger.trainer.data.FeatureCache;
import org.genretagger.trainer.pretrained.HeadTraining;
import org.genretagger.plugin.evaluation.Calibration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The trainer's whole path on a tiny synthetic set it makes itself (tones, noise, clicks): it must
 * learn, save, and the plugin's classifier must reproduce the trainer's predictions.
 */
class TrainEndToEndTest {
    private static final int SR = 22050;

    @Test
    void learnsSyntheticGenresAndThePluginReproducesItsPredictions(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Random rng = new Random(11);
        for (int i = 0; i < 10; i++) {
            writeWav(data.resolve("tones/tones." + i + ".wav"), tones(rng));
            writeWav(data.resolve("noise/noise." + i + ".wav"), noise(rng));
            writeWav(data.resolve("clicks/clicks." + i + ".wav"), clicks(rng));
        }
        Path out = dir.resolve("model");
        int exit = new CommandLine(new TrainerCli()).execute("train", "--data", data.toString(), "--split", "random", "--seed", "3",
                "--out", out.toString(), "--work", dir.resolve("work").toString(), "--epochs", "4", "--patience", "4",
                "--variants", "1", "--window-frames", "32", "--hop-frames", "16", "--channels", "8,16", "--batch", "16");
        assertEquals(0, exit);
        assertTrue(Files.isRegularFile(out.resolve("REPORT.md")));
        assertTrue(Files.isRegularFile(out.resolve("confusion-matrix.png")));
        assertTrue(Files.isRegularFile(out.resolve("training-curves.png")));

        Dataset dataset = Dataset.scan(data);
        List<Clip> valid = dataset.randomSplit(0.2, 3).valid();
        try (GenreModel model = GenreModel.load(out)) {
            var config = model.config();
            FeatureCache cache = new FeatureCache(dir.resolve("check-cache"), config, Augmenter.defaults(), 3);
            cache.prepare(valid, 0, 1, n -> { });
            Validation.Result trainer = Validation.run(model, cache, valid, config);
            assertTrue(trainer.trackAccuracy() >= 0.8, "three easy classes, chance is 0.33: " + trainer.trackAccuracy());

            TrackAnalyzer plugin = new TrackAnalyzer(model);
            for (int i = 0; i < valid.size(); i++) {
                TrackPrediction p = plugin.analyze(valid.get(i).file(), org.genretagger.api.Analysis.FULL, null);
                double[] expected = Calibration.trackProbabilities(trainer.windowLogits().get(i), config.temperature);
                assertEquals(trainer.windowLogits().get(i).length, p.windows());
                for (var g : p.genres()) {
                    assertEquals(expected[config.labels.indexOf(g.label())], g.probability(), 1e-5, valid.get(i).key() + " " + g.label());
                }
            }
        }
    }

    @Test
    void headOnThePretrainedBaseLearnsAndThePluginReproducesIt(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Random rng = new Random(12);
        for (int i = 0; i < 10; i++) {
            writeWav(data.resolve("tones/tones." + i + ".wav"), tones(rng));
            writeWav(data.resolve("noise/noise." + i + ".wav"), noise(rng));
            writeWav(data.resolve("clicks/clicks." + i + ".wav"), clicks(rng));
        }
        Path base = Path.of("../models/pretrained/MSD_musicnn");
        Path out = dir.resolve("model");
        int exit = new CommandLine(new TrainerCli()).execute("train", "--data", data.toString(), "--split", "random", "--seed", "3",
                "--out", out.toString(), "--work", dir.resolve("work").toString(), "--base", base.toString(),
                "--variants", "1", "--patches", "1", "--not-music", "0", "--level");
        assertEquals(0, exit);
        String report = Files.readString(out.resolve("REPORT.md"));
        assertTrue(report.contains("Out of fold"));
        assertTrue(report.contains("| mp3-64k |") && report.contains("| gain-minus-20dB |"), "the report has the robustness table");

        List<Clip> valid = Dataset.scan(data).randomSplit(0.2, 3).valid();
        try (GenreModel model = GenreModel.load(out); GenreModel pretrained = GenreModel.load(base)) {
            var config = model.config();
            assertEquals(pretrained.config().base, config.base, "the model names the base it was built on");
            // With --level the windows are brought to the training clips' level, in the trainer and
            // (checked below, window by window through the verdict) identically in the plugin.
            assertTrue(config.levelDb != null && Double.isFinite(config.levelDb), "level " + config.levelDb);
            int right = assertPluginReproducesTheTrainer(model, valid, dir.resolve("check-cache"));
            assertTrue(right >= 0.8 * valid.size(), "three easy classes, chance is 0.33: " + right + "/" + valid.size());
        }
    }

    /**
     * The trainer's offline front end and the plugin's streaming one give the same verdict, window by
     * window through the calibrated track probabilities.
     *
     * @return how many clips the plugin got right
     */
    private static int assertPluginReproducesTheTrainer(GenreModel model, List<Clip> valid, Path cacheDir) throws Exception {
        var config = model.config();
        FeatureCache cache = new FeatureCache(cacheDir, config, Augmenter.defaults(), 3);
        cache.prepare(valid, 0, 1, n -> { });
        FeatureCache companion = null;
        if (config.companion != null) {
            companion = new FeatureCache(cacheDir.resolve("companion"), config.companion, Augmenter.defaults(), 3);
            companion.prepare(valid, 0, 1, n -> { });
        }
        TrackAnalyzer plugin = new TrackAnalyzer(model);
        int right = 0;
        for (Clip c : valid) {
            TrackPrediction p = plugin.analyze(c.file(), org.genretagger.api.Analysis.FULL, null);
            right += p.top().label().equals(c.label()) ? 1 : 0;
            // The trainer's offline front end and the plugin's streaming one give the same verdict.
            float[][] f = cache.frames(c, 0);
            int n = f.length / config.windowFrames;
            float[][] cf = companion != null ? companion.frames(c, 0) : null;
            float[] windows = new float[n * config.inputSize()];
            for (int w = 0; w < n; w++) {
                HeadTraining.inputRow(config, f, cf, w * config.windowFrames, windows, w * config.inputSize());
            }
            double[] expected = Calibration.trackProbabilities(model.logits(windows, n), config.temperature);
            for (var g : p.genres()) {
                assertEquals(expected[config.labels.indexOf(g.label())], g.probability(), 1e-4, c.key() + " " + g.label());
            }
        }
        return right;
    }

    /** The shipped recipe's shape: outside music scored by artist, on the AudioSet base with musicnn beside it. */
    @Test
    void learnsFromOutsideMusicByArtistOnTwoBases(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Random rng = new Random(21);
        for (int i = 0; i < 8; i++) {
            writeWav(data.resolve("tones/tones." + i + ".wav"), tones(rng, 11));
            writeWav(data.resolve("noise/noise." + i + ".wav"), noise(rng, 11));
            writeWav(data.resolve("clicks/clicks." + i + ".wav"), clicks(rng, 11));
        }
        // Outside music: ten artists of two clips each, one genre the main set does not have.
        Path outside = dir.resolve("outside");
        StringBuilder tsv = new StringBuilder("file\tgenre\tartist\talbum\ttitle\n");
        for (int a = 0; a < 10; a++) {
            for (int j = 0; j < 2; j++) {
                String genre = a % 2 == 0 ? "sweeps" : "tones";
                String file = genre + "/" + a + "-" + j + ".wav";
                writeWav(outside.resolve(file), genre.equals("sweeps") ? sweep(rng, 11) : tones(rng, 11));
                tsv.append(file).append("\t").append(genre).append("\tartist ").append(a).append("\talbum\ttitle\n");
            }
        }
        Files.writeString(outside.resolve("labels.tsv"), tsv);
        Path base = Path.of("../models/pretrained/mn04_as");
        Path out = dir.resolve("model");
        int exit = new CommandLine(new TrainerCli()).execute("train", "--data", data.toString(), "--split", "random", "--seed", "3",
                "--out", out.toString(), "--work", dir.resolve("work").toString(), "--base", base.toString(),
                "--companion", "../models/pretrained/MSD_musicnn", "--companion-patches", "2",
                "--outside", outside.toString(), "--variants", "0", "--not-music", "0");
        assertEquals(0, exit);
        String report = Files.readString(out.resolve("REPORT.md"));
        assertTrue(report.contains("beside it a second frozen network (MSD_musicnn"), "the report names both bases: " + report);
        assertTrue(report.contains("artist-grouped cross-validation") && report.contains("| sweeps | 10 |"),
                "the report scores the outside genre by artist: " + report);
        List<Clip> valid = Dataset.scan(data).randomSplit(0.2, 3).valid();
        try (GenreModel model = GenreModel.load(out)) {
            assertTrue(model.config().labels.contains("sweeps") && model.config().genres.contains("Sweeps"),
                    "the outside genre joins the vocabulary: " + model.config().labels);
            assertEquals("MSD_musicnn", model.config().companion.base.name(), "the model names its companion base");
            int right = assertPluginReproducesTheTrainer(model, valid, dir.resolve("check-cache"));
            assertTrue(right >= 0.8 * valid.size(), "three easy classes, chance is 0.33: " + right + "/" + valid.size());
        }
    }

    private static float[] sweep(Random rng, int seconds) {
        float[] x = new float[SR * seconds];
        double f0 = 100 + rng.nextInt(200);
        double phase = 0;
        for (int i = 0; i < x.length; i++) {
            phase += 2 * Math.PI * f0 * Math.pow(40, (double) i / x.length) / SR;
            x[i] = (float) (0.3 * Math.sin(phase));
        }
        return x;
    }

    private static float[] tones(Random rng) {
        return tones(rng, 4);
    }

    private static float[] tones(Random rng, int seconds) {
        float[] x = new float[SR * seconds];
        double f1 = 200 + rng.nextInt(400);
        double f2 = f1 * 1.5;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * f1 * i / SR) + 0.2 * Math.sin(2 * Math.PI * f2 * i / SR));
        }
        return x;
    }

    private static float[] noise(Random rng) {
        return noise(rng, 4);
    }

    private static float[] noise(Random rng, int seconds) {
        float[] x = new float[SR * seconds];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.2 * rng.nextGaussian());
        }
        return x;
    }

    private static float[] clicks(Random rng) {
        return clicks(rng, 4);
    }

    private static float[] clicks(Random rng, int seconds) {
        float[] x = new float[SR * seconds];
        int period = SR / (2 + rng.nextInt(4));
        for (int i = rng.nextInt(period); i < x.length; i += period) {
            for (int k = 0; k < 200 && i + k < x.length; k++) {
                x[i + k] = (float) (0.8 * Math.exp(-k / 30.0) * (rng.nextBoolean() ? 1 : -1));
            }
        }
        return x;
    }

    private static void writeWav(Path file, float[] samples) throws Exception {
        Files.createDirectories(file.getParent());
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : samples) {
            b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(s * 32767))));
        }
        AudioFormat f = new AudioFormat(SR, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(b.array()), f, samples.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }
}
