package org.genretagger.trainer.pretrained;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.genretagger.api.Analysis;
import org.genretagger.plugin.evaluation.Calibration;
import org.genretagger.plugin.evaluation.ClassificationReport;
import org.genretagger.plugin.evaluation.ConfidenceThreshold;
import org.genretagger.plugin.model.GenreModel;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.plugin.model.SoftmaxRegression;
import org.genretagger.plugin.model.WindowNormaliser;
import org.genretagger.trainer.Evaluation;
import org.genretagger.trainer.Robustness;
import org.genretagger.trainer.Training;
import org.genretagger.trainer.augment.Augmentation;
import org.genretagger.trainer.augment.Augmenter;
import org.genretagger.trainer.augment.ChannelAugmenter;
import org.genretagger.trainer.data.Clip;
import org.genretagger.trainer.data.Dataset;
import org.genretagger.trainer.data.FeatureCache;

/**
 * The shipped model's recipe on a pretrained base: a linear head on the frozen embedding, trained
 * on clean and augmented (musical and channel) variants plus a generated not-music class.
 * Regularisation is chosen on the validation split with a head fitted on the training split; the
 * temperature and the confidence threshold are fitted on out-of-fold predictions (train → valid and
 * valid → train, artist-disjoint for the four full genres); the shipped head is then fitted on
 * training and validation clips together.
 *
 * @param base the pretrained model folder
 * @param variants augmented variants per clip
 * @param patches random patches embedded per augmented variant
 * @param balance class balancing exponent
 * @param notMusic generated not-music clips (0 for none)
 * @param level whether windows are brought to the training clips' median level (see {@link ModelConfig#levelDb})
 * @param seed decides augmentation, patches and generated clips
 */
public record HeadRecipe(Path base, int variants, int patches, double balance, int notMusic, boolean level, long seed) {
    /** Regularisation strengths tried. */
    static final double[] L2 = {1e-4, 1e-3, 1e-2, 3e-2, 1e-1};
    /** Patches per track tried for the default analysis. */
    static final int[] PATCH_CURVE = {1, 2, 3, 4, 5, 6, 8, 0};

    /**
     * @param name model name
     * @param labels genre labels
     * @param genres display names
     * @param split training and validation clips
     * @param workDir caches
     * @param out the model folder
     * @param command how this was run, for the report
     * @param log progress and figures
     * @return 0
     * @throws IOException if data or outputs fail
     */
    public int run(String name, List<String> labels, List<String> genres, Dataset.Split split, Path workDir, Path out,
            String command, PrintStream log) throws IOException {
        long started = System.nanoTime();
        try (GenreModel pretrained = GenreModel.load(base)) {
            ModelConfig bc = pretrained.config();
            ModelConfig config = KerasImport.frontEnd(bc.network, null);
            config.name = name;
            config.version = LocalDate.now().toString();
            config.base = bc.base;
            List<String> l = new ArrayList<>(labels);
            List<String> g = new ArrayList<>(genres);
            List<Clip> train = new ArrayList<>(split.train());
            List<Clip> valid = new ArrayList<>(split.valid());
            if (notMusic > 0) {
                l.add(NotMusic.LABEL);
                g.add(NotMusic.NAME);
                List<Clip> nm = NotMusic.generate(workDir.resolve("notmusic"), notMusic, seed);
                int cut = nm.size() * 7 / 10;
                train.addAll(nm.subList(0, cut));
                valid.addAll(nm.subList(cut, nm.size()));
                config.notMusicLabel = NotMusic.LABEL;
            }
            config.labels = l;
            config.genres = g;
            log.printf("pretrained base %s (sha256 %s); %d training and %d validation clips, %d classes%n",
                    bc.base.name(), bc.base.sha256(), train.size(), valid.size(), l.size());

            Augmentation augment = Augmenter.defaults().then(ChannelAugmenter.defaults());
            String id = String.format("sr%d-fft%d-hop%d-mel%d-%s-seed%d-%s", config.sampleRate, config.nFft, config.hopLength,
                    config.nMels, config.reflectPad ? "reflect" : "zeros", seed, Integer.toHexString(augment.toString().hashCode()));
            FeatureCache frames = new FeatureCache(workDir.resolve("cache").resolve(id), config, augment, seed);
            List<Clip> all = new ArrayList<>(train);
            all.addAll(valid);
            int workers = Runtime.getRuntime().availableProcessors();
            try (ProgressBar bar = Training.bar("features", (long) all.size() * (variants + 1))) {
                frames.prepare(all, variants, workers, bar::stepBy);
            }
            if (level) {
                config.levelDb = medianLevelDb(frames, split.train(), config.windowFrames);
                log.printf("windows brought to %.1f dB (median of the training clips' patches)%n", config.levelDb);
            }
            String embeddingsId = id + "-" + bc.base.sha256().substring(0, 12) + "-p" + patches
                    + (config.levelDb != null ? String.format("-level%.2f", config.levelDb) : "");
            HeadTraining t = new HeadTraining(pretrained, config, frames, workDir.resolve("embeddings").resolve(embeddingsId), patches, seed);
            t.embed(all, variants);

            int[] validTruth = t.truth(valid);
            StringBuilder selection = new StringBuilder("| L2 | variants | validation track accuracy |\n| --- | --- | --- |\n");
            double bestAcc = -1;
            double bestL2 = 0;
            int bestVariants = 0;
            for (int v : variants > 0 ? new int[] {0, variants} : new int[] {0}) {
                for (double l2 : L2) {
                    double acc = HeadTraining.accuracy(t.logits(t.fit(train, v, balance, l2), valid, 0), validTruth, 1);
                    selection.append(String.format("| %g | %d | %.3f |%n", l2, v, acc));
                    log.printf("L2 %-8g variants %d: validation track accuracy %.3f%n", l2, v, acc);
                    // Ties go to the stronger regularisation and to augmentation (tried later).
                    if (acc >= bestAcc) {
                        bestAcc = acc;
                        bestL2 = l2;
                        bestVariants = v;
                    }
                }
            }
            log.printf("chosen: L2 %g with %d variants (validation %.3f, %d clips)%n", bestL2, bestVariants, bestAcc, valid.size());

            // Default analysis: the fewest patches whose validation accuracy is within one standard error
            // of all of them (the usual one-standard-error rule: differences smaller than that are noise
            // on this many clips, and each patch costs a forward pass of the base).
            SoftmaxRegression onTrain = t.fit(train, bestVariants, balance, bestL2);
            StringBuilder curve = new StringBuilder("| analysis | validation track accuracy |\n| --- | --- |\n");
            double full = HeadTraining.accuracy(t.logits(onTrain, valid, 0), validTruth, 1);
            double standardError = Math.sqrt(full * (1 - full) / valid.size());
            config.defaultSampleWindows = 0;
            for (int n : PATCH_CURVE) {
                double acc = HeadTraining.accuracy(t.logits(onTrain, valid, n), validTruth, 1);
                curve.append(String.format("| %s | %.3f |%n", n == 0 ? "full" : "sample:" + n, acc));
                if (n > 0 && config.defaultSampleWindows == 0 && acc >= full - standardError - 1e-9) {
                    config.defaultSampleWindows = n;
                }
            }
            curve.append(String.format("%nOne standard error of the full-analysis accuracy on %d clips: %.3f.%n", valid.size(), standardError));
            log.printf("default analysis sample:%d (within one standard error, %.3f, of full analysis)%n",
                    config.defaultSampleWindows, standardError);

            // Out of fold: each split's clips predicted by a head that never saw them, from as many
            // patches as the default analysis classifies, so the threshold speaks of what users run.
            SoftmaxRegression onValid = t.fit(valid, bestVariants, balance, bestL2);
            List<float[][]> oofLogits = new ArrayList<>(t.logits(onTrain, valid, config.defaultSampleWindows));
            oofLogits.addAll(t.logits(onValid, train, config.defaultSampleWindows));
            List<Clip> oofClips = new ArrayList<>(valid);
            oofClips.addAll(train);
            int[] oofTruth = t.truth(oofClips);
            double temperature = Calibration.fitTemperature(oofLogits, oofTruth);
            double[][] oofP = Calibration.trackProbabilities(oofLogits, temperature);
            double eceBefore = Calibration.expectedCalibrationError(Calibration.trackProbabilities(oofLogits, 1), oofTruth);
            double eceAfter = Calibration.expectedCalibrationError(oofP, oofTruth);
            int nm = config.notMusicLabel == null ? -1 : l.indexOf(config.notMusicLabel);
            // The threshold speaks of music: tags written on music clips, not-music clips aside.
            List<Double> top = new ArrayList<>();
            List<Boolean> right = new ArrayList<>();
            for (int i = 0; i < oofP.length; i++) {
                if (oofTruth[i] == nm) {
                    continue;
                }
                int best = Calibration.argmax(oofP[i]);
                top.add(best == nm ? 0.0 : oofP[i][best]);
                right.add(best == oofTruth[i]);
            }
            double[] topArr = top.stream().mapToDouble(Double::doubleValue).toArray();
            boolean[] rightArr = new boolean[right.size()];
            for (int i = 0; i < rightArr.length; i++) {
                rightArr[i] = right.get(i);
            }
            ConfidenceThreshold.Choice threshold = ConfidenceThreshold.choose(topArr, rightArr);
            config.temperature = temperature;
            config.defaultMinConfidence = threshold.threshold();
            config.thresholdMeaning = threshold.describe("out-of-fold music");
            log.printf("temperature %.3f (out-of-fold ECE %.3f -> %.3f); %s%n", temperature, eceBefore, eceAfter, config.thresholdMeaning);

            // The validation figures, through the plugin's own decode and inference path.
            Path validationModel = workDir.resolve("validation-model");
            t.save(onTrain, validationModel);
            Evaluation.Result r;
            String robustness;
            try (GenreModel vm = GenreModel.load(validationModel)) {
                r = Evaluation.run(vm, valid, Analysis.FULL, out, log);
                log.println("robustness (validation music clips, default analysis):");
                robustness = Robustness.table(vm, split.valid(), new Analysis(config.defaultSampleWindows),
                        workDir.resolve("degraded"), log);
            }

            SoftmaxRegression shipped = t.fit(all, bestVariants, balance, bestL2);
            Files.createDirectories(out);
            t.save(shipped, out);
            double minutes = (System.nanoTime() - started) / 60e9;
            writeReport(out.resolve("REPORT.md"), config, bc, split, train, valid, selection.toString(), bestL2, bestVariants,
                    r, oofP, oofTruth, l, eceBefore, eceAfter, threshold, curve.toString(), robustness, augment.toString(), command, minutes);
            log.printf("model written to %s in %.1f minutes%n", out, minutes);
            return 0;
        }
    }

    /** The median mean-power level (dB) of the clean training clips' non-overlapping patches. */
    private static double medianLevelDb(FeatureCache frames, List<Clip> clips, int windowFrames) {
        List<Double> levels = new ArrayList<>();
        for (Clip c : clips) {
            float[][] f = frames.frames(c, 0);
            for (int start = 0; start + windowFrames <= f.length; start += windowFrames) {
                levels.add(WindowNormaliser.meanPowerDb(f, start, windowFrames));
            }
        }
        Collections.sort(levels);
        return levels.get(levels.size() / 2);
    }

    private void writeReport(Path file, ModelConfig c, ModelConfig bc, Dataset.Split split, List<Clip> train, List<Clip> valid,
            String selection, double l2, int usedVariants, Evaluation.Result r, double[][] oofP, int[] oofTruth, List<String> labels,
            double eceBefore, double eceAfter, ConfidenceThreshold.Choice threshold, String curve, String robustness, String augment,
            String command, double minutes) throws IOException {
        int[] oofPred = Arrays.stream(oofP).mapToInt(Calibration::argmax).toArray();
        ClassificationReport oof = ClassificationReport.of(oofTruth, oofPred, labels);
        StringBuilder s = new StringBuilder();
        s.append("# ").append(c.name).append(" ").append(c.version).append("\n\n");
        s.append("A linear head on the frozen embedding of a pretrained music-tagging network (")
                .append(bc.base.name()).append(", ").append(bc.base.source()).append(", sha256 `").append(bc.base.sha256())
                .append("`; ISC licence, notices in `pretrained/`), trained on GTZAN clips")
                .append(c.notMusicLabel != null ? " and generated not-music clips (speech, noise, tones, hum, clicks, near-silence)" : "")
                .append(".\n\n");
        s.append("Rebuild:\n\n    ").append(command).append("\n\n");
        s.append(String.format("Took %.1f minutes on this machine (most of it embedding %d variants per clip).%n%n", minutes, variants));
        s.append("## Recipe\n\n");
        s.append("- Front end: the plugin's log-mel at ").append(c.sampleRate).append(" Hz, n_fft ").append(c.nFft).append(", hop ")
                .append(c.hopLength).append(", ").append(c.nMels).append(" Slaney mels, reflect padding, ")
                .append(c.levelDb != null ? String.format("each window brought to %.1f dB mean mel power (the training clips' median, gain within +-%.0f dB), ",
                        c.levelDb, WindowNormaliser.MAX_LEVEL_GAIN_DB) : "")
                .append("float16 then log10(10000x+1); ")
                .append(c.windowFrames).append("-frame (3 s) patches.\n");
        s.append("- Augmentation (each training and validation clip, ").append(variants).append(" variants, ").append(patches)
                .append(" random patches each): ").append(augment).append(".\n");
        s.append(String.format("- Head: softmax regression on the embedding, class balance exponent %.1f, L2 %g, %s.%n", balance, l2,
                usedVariants > 0 ? "clean and augmented variants" : "clean clips only (augmented variants did not help on validation)"));
        s.append("- Chosen on the validation split with a head fitted on the training split:\n\n").append(selection).append("\n");
        s.append("- The shipped head is fitted on training and validation clips together (")
                .append(train.size() + valid.size()).append(" clips), with the chosen settings.\n\n");
        s.append("## Validation (head fitted on the training split only; ").append(r.track().support()).append(" clips, through the plugin's decode and inference, full analysis)\n\n");
        s.append("Chosen on this same split, so slightly optimistic; the out-of-fold figures below are the other view.\n\n");
        s.append("```\n").append(r.track().format()).append("```\n\n");
        s.append(String.format("Track accuracy %.3f, macro F1 %.3f.%n%n", r.track().accuracy(), r.track().macroAvg().f1()));
        s.append("## Out of fold (").append(oofTruth.length).append(" clips: validation clips by the training head, training clips by a head fitted on validation clips only)\n\n");
        s.append("```\n").append(oof.format()).append("```\n\n");
        s.append(String.format("Calibration: temperature %.3f fitted on these predictions; track ECE %.3f -> %.3f.%n%n", c.temperature, eceBefore, eceAfter));
        s.append("Default threshold: ").append(c.thresholdMeaning).append(" The head fitted on the validation clips alone is weaker than the shipped one, so the promise is conservative.\n\n");
        s.append("## Windows per track\n\nAccuracy of the training-split head against the number of 3 s patches, evenly spread over the validation clips:\n\n")
                .append(curve).append("\nDefault: sample:").append(c.defaultSampleWindows)
                .append(" (temperature and threshold above were fitted on predictions from this many patches).\n\n");
        s.append("## Robustness\n\nValidation music clips (head fitted on the training split), default analysis, on copies degraded as ")
                .append("users' files are: 64 kbit/s MP3, 96 kbit/s AAC, 8 kHz low-pass, resampled to 16 kHz, 20 dB quieter. ")
                .append("The base hears only 0-8 kHz (16 kHz input), so the low-pass and resample rows change little by construction.\n\n")
                .append(robustness);
        Files.writeString(file, s.toString());
    }
}
