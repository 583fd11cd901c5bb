package org.genretagger.trainer.pretrained;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
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
import org.genretagger.trainer.data.ArtistClips;
import org.genretagger.trainer.data.Clip;
import org.genretagger.trainer.data.Dataset;
import org.genretagger.trainer.data.FeatureCache;

/**
 * The shipped model's recipe on a pretrained base: a linear head on the frozen base's evidence (its
 * embedding and, for a base that has one, its own output layer), trained on GTZAN clips, on music
 * from outside GTZAN whose artists are known, and on a generated not-music class.
 *
 * <p>What is chosen, and on what:
 * <ul>
 *   <li>the head's L2 and the weight of outside music against GTZAN, by artist-grouped cross-
 *       validation together with GTZAN's validation split: each outside fold is predicted by a head
 *       fitted without that fold's artists, in the setting that scored best on the other folds, so
 *       no outside figure chose its own setting;
 *   <li>the temperature, on the out-of-fold predictions of every set;
 *   <li>the threshold, on out-of-fold predictions; its sentence speaks of outside tracks whose
 *       threshold was chosen without their own fold.
 * </ul>
 * Without outside music it falls back to GTZAN's two splits. The shipped head is fitted on everything.
 *
 * @param base the pretrained model folder
 * @param companion a second pretrained model folder heard beside it (see {@link ModelConfig#companion}), or null
 * @param companionPatches the companion's patches per window
 * @param outside a folder of labelled outside music with {@code labels.tsv} (see {@link ArtistClips}); null for none
 * @param variants augmented variants per clip
 * @param patches random patches embedded per augmented variant
 * @param balance class balancing exponent
 * @param notMusic generated not-music clips (0 for none)
 * @param level whether windows are brought to the training clips' median level (see {@link ModelConfig#levelDb})
 * @param seed decides augmentation, patches, folds and generated clips
 */
public record HeadRecipe(Path base, Path companion, int companionPatches, Path outside, int variants, int patches, double balance,
        int notMusic, boolean level, long seed) {
    /** Regularisation strengths tried. */
    static final double[] L2 = {1e-3, 1e-2, 1e-1, 3e-1};
    /** Weights of an outside clip against a GTZAN clip tried. */
    static final double[] OUTSIDE_WEIGHT = {1, 3};
    /** Artist-grouped folds of the outside music. */
    static final int FOLDS = 5;
    /** Windows per track tried on full-length tracks. */
    static final int[] WINDOW_CURVE = {1, 2, 3, 4, 6, 8, 12, 0};

    /** One setting of the head. */
    record Setting(double l2, double outsideWeight) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "L2 %g, outside weight %g", l2, outsideWeight);
        }
    }

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
        try (GenreModel pretrained = GenreModel.load(base);
                GenreModel second = companion != null ? GenreModel.load(companion) : null) {
            ModelConfig bc = pretrained.config();
            ModelConfig config = bc.copy();
            if (second != null) {
                config.companion = second.config().copy();
                config.companionPatches = companionPatches;
            }
            config.name = name;
            config.version = LocalDate.now().toString();
            config.base = bc.base;
            config.weights = "model.params";
            config.temperature = 1;
            List<String> l = new ArrayList<>(labels);
            List<String> g = new ArrayList<>(genres);
            ArtistClips outsideSet = outside != null ? ArtistClips.read(outside) : new ArtistClips(List.of(), Map.of());
            List<Clip> outsideClips = outsideSet.clips();
            for (String label : new TreeSet<>(outsideClips.stream().map(Clip::label).toList())) {
                if (!l.contains(label)) {
                    l.add(label);
                    g.add(Character.toUpperCase(label.charAt(0)) + label.substring(1));
                }
            }
            List<Clip> nm = List.of();
            if (notMusic > 0) {
                l.add(NotMusic.LABEL);
                g.add(NotMusic.NAME);
                nm = NotMusic.generate(workDir.resolve("notmusic"), notMusic, seed);
                config.notMusicLabel = NotMusic.LABEL;
            }
            config.labels = l;
            config.genres = g;
            List<Clip> gtzan = new ArrayList<>(split.train());
            gtzan.addAll(split.valid());
            List<Clip> all = new ArrayList<>(gtzan);
            all.addAll(outsideClips);
            all.addAll(nm);
            log.printf("pretrained base %s (sha256 %s); %d GTZAN clips (%d training, %d validation), %d outside clips "
                    + "(%d artists), %d not-music clips; %d classes%n", bc.base.name(), bc.base.sha256(), gtzan.size(),
                    split.train().size(), split.valid().size(), outsideClips.size(), new HashSet<>(outsideSet.artist().values()).size(),
                    nm.size(), l.size());

            Augmentation augment = Augmenter.defaults().then(ChannelAugmenter.defaults());
            String id = featureId(config, augment);
            FeatureCache frames = features(config, augment, workDir, all);
            FeatureCache companionFrames = second != null ? features(config.companion, augment, workDir, all) : null;
            if (level) {
                config.levelDb = medianLevelDb(frames, split.train(), config.windowFrames);
                log.printf("windows brought to %.1f dB (median of the training clips' patches)%n", config.levelDb);
                if (second != null) {
                    // The companion's input is no more level-invariant than the main base's.
                    config.companion.levelDb = medianLevelDb(companionFrames, split.train(), config.companion.windowFrames);
                    log.printf("companion patches brought to %.1f dB%n", config.companion.levelDb);
                }
            }
            String embeddingsId = id + "-" + bc.base.sha256().substring(0, 12) + "-p" + patches
                    + (config.levelDb != null ? String.format(Locale.ROOT, "-level%.2f", config.levelDb) : "")
                    + (second != null ? "-with-" + featureId(config.companion, augment) + "-" + config.companion.base.sha256()
                            .substring(0, 12) + "-x" + companionPatches
                            + (config.companion.levelDb != null ? String.format(Locale.ROOT, "-level%.2f", config.companion.levelDb) : "") : "");
            try (GenreModel both = second != null ? GenreModel.onTwoBases(config, pretrained, second) : null) {
                HeadTraining t = new HeadTraining(both != null ? both : pretrained, config, frames, companionFrames,
                        workDir.resolve("embeddings").resolve(embeddingsId), patches, seed);
                t.embed(all, variants);

                Folds folds = new Folds(t, split, outsideSet, nm, variants, balance, seed);
                List<Setting> grid = new ArrayList<>();
                for (double w : outsideClips.isEmpty() ? new double[] {1} : OUTSIDE_WEIGHT) {
                    for (double l2 : L2) {
                        grid.add(new Setting(l2, w));
                    }
                }
                // Every setting's cross-validated predictions: each outside artist fold (and a share of the
                // not-music clips) by a head fitted without it, GTZAN's validation split by one fitted without it.
                List<Map<Clip, float[][]>> cv = grid.parallelStream().map(folds::crossValidate).toList();
                // Each outside fold keeps the predictions of the setting that scored best on the other folds,
                // so no fold's figures chose its own setting. The shipped setting scores best on all of them.
                Map<Clip, float[][]> oof = new HashMap<>();
                List<String> choices = new ArrayList<>();
                Set<Integer> everyFold = new TreeSet<>();
                for (int k = 0; k < (outsideClips.isEmpty() ? 0 : FOLDS); k++) {
                    everyFold.add(k);
                }
                for (int k : everyFold) {
                    Set<Integer> others = new TreeSet<>(everyFold);
                    others.remove(k);
                    int s = folds.best(grid, cv, others);
                    choices.add(grid.get(s).toString());
                    log.printf("outside fold %d (%d clips): %s%n", k, folds.outsideFold(k).size(), grid.get(s));
                    for (Clip c : folds.outsideFold(k)) {
                        oof.put(c, cv.get(s).get(c));
                    }
                    for (Clip c : folds.notMusicFold(k)) {
                        oof.put(c, cv.get(s).get(c));
                    }
                }
                int chosenIndex = folds.best(grid, cv, everyFold);
                Setting chosen = grid.get(chosenIndex);
                log.printf("shipped setting: %s%n", chosen);
                // GTZAN out of fold: the validation split as cross-validated, the training split by a head fitted without it.
                for (Clip c : split.valid()) {
                    oof.put(c, cv.get(chosenIndex).get(c));
                }
                oof.putAll(folds.predictWithout(chosen, split.train()));
                if (outsideClips.isEmpty()) {
                    // Without outside folds, not-music clips are scored in two halves.
                    int cut = nm.size() / 2;
                    for (List<Clip> half : List.of(nm.subList(0, cut), nm.subList(cut, nm.size()))) {
                        if (!half.isEmpty()) {
                            oof.putAll(folds.predictWithout(chosen, half));
                        }
                    }
                }

                // Calibration on every out-of-fold prediction, then the threshold.
                List<Clip> oofClips = new ArrayList<>(oof.keySet());
                oofClips.sort((a, b) -> a.key().compareTo(b.key()));
                List<float[][]> oofLogits = oofClips.stream().map(oof::get).toList();
                int[] oofTruth = t.truth(oofClips);
                double temperature = Calibration.fitTemperature(oofLogits, oofTruth);
                double eceBefore = Calibration.expectedCalibrationError(Calibration.trackProbabilities(oofLogits, 1), oofTruth);
                double eceAfter = Calibration.expectedCalibrationError(Calibration.trackProbabilities(oofLogits, temperature), oofTruth);
                config.temperature = temperature;
                int nmIndex = config.notMusicLabel == null ? -1 : l.indexOf(config.notMusicLabel);
                Set<Clip> outsideOnes = new HashSet<>(outsideClips);
                Set<Clip> gtzanOnes = new HashSet<>(gtzan);
                // Chosen on the music users own when there is some: GTZAN's clips are easier than theirs.
                Written thresholdSet = Written.of(oofClips.stream().filter(outsideOnes.isEmpty() ? gtzanOnes::contains : outsideOnes::contains)
                        .toList(), oof, t, temperature, nmIndex);
                ConfidenceThreshold.Choice threshold = ConfidenceThreshold.choose(thresholdSet.top, thresholdSet.right);
                config.defaultMinConfidence = threshold.threshold();
                // The sentence users read: outside tracks, each fold at a threshold chosen without it.
                String crossFitted = "";
                if (!outsideClips.isEmpty()) {
                    int written = 0;
                    int right = 0;
                    for (int k = 0; k < FOLDS; k++) {
                        Set<Clip> fold = new HashSet<>(folds.outsideFold(k));
                        Written others = Written.of(oofClips.stream().filter(c -> outsideOnes.contains(c) && !fold.contains(c)).toList(),
                                oof, t, temperature, nmIndex);
                        double th = ConfidenceThreshold.choose(others.top, others.right).threshold();
                        Written mine = Written.of(folds.outsideFold(k), oof, t, temperature, nmIndex);
                        for (int i = 0; i < mine.top.length; i++) {
                            if (mine.top[i] >= th) {
                                written++;
                                right += mine.right[i] ? 1 : 0;
                            }
                        }
                    }
                    crossFitted = String.format(Locale.ROOT, " On %d tracks of outside music (%d artists), each scored at a threshold "
                            + "chosen without its artists, %.0f%% of written tags were right and %.0f%% of tracks got one.",
                            outsideClips.size(), new HashSet<>(outsideSet.artist().values()).size(), 100.0 * right / Math.max(1, written),
                            100.0 * written / outsideClips.size());
                }
                config.thresholdMeaning = threshold.describe(outsideOnes.isEmpty() ? "out-of-fold GTZAN music" : "out-of-fold outside music")
                        + crossFitted;
                log.printf("temperature %.3f (out-of-fold ECE %.3f -> %.3f); %s%n", temperature, eceBefore, eceAfter, config.thresholdMeaning);

                // Windows per track: on full-length tracks joined from outside clips of one genre, or
                // without outside music on GTZAN's out-of-fold clips.
                List<LongTracks.Track> tracks = outsideClips.isEmpty() ? new ArrayList<>() : LongTracks.build(folds, oof, t, seed);
                boolean joined = !tracks.isEmpty();
                if (!joined) {
                    int[] truth = t.truth(gtzan);
                    for (int i = 0; i < gtzan.size(); i++) {
                        tracks.add(new LongTracks.Track(oof.get(gtzan.get(i)), truth[i]));
                    }
                }
                LongTracks.Curve windows = LongTracks.curve(tracks, WINDOW_CURVE, temperature, config.windowSeconds(), log);
                config.defaultSampleWindows = windows.windows();

                // The validation figures, through the plugin's own decode and inference path.
                Path validationModel = workDir.resolve("validation-model");
                SoftmaxRegression onTrain = folds.fitWithout(chosen, new HashSet<>(split.valid()));
                t.save(onTrain, validationModel);
                Evaluation.Result r;
                String robustness;
                try (GenreModel vm = GenreModel.load(validationModel)) {
                    r = Evaluation.run(vm, split.valid(), Analysis.FULL, out, log);
                    log.println("robustness (validation music clips, default analysis):");
                    robustness = Robustness.table(vm, split.valid(), new Analysis(config.defaultSampleWindows),
                            workDir.resolve("degraded"), log);
                }

                SoftmaxRegression shipped = folds.fitWithout(chosen, Set.of());
                Files.createDirectories(out);
                t.save(shipped, out);
                double minutes = (System.nanoTime() - started) / 60e9;
                new HeadReport(config, bc, split, outsideSet, folds, nm, grid, choices, chosen, r, oof, t, eceBefore, eceAfter,
                        threshold, joined ? "full-length tracks joined from outside clips" : "GTZAN's out-of-fold clips",
                        windows.table(), robustness, augment.toString(), command, minutes, variants, patches, balance)
                        .write(out.resolve("REPORT.md"));
                log.printf("model written to %s in %.1f minutes%n", out, minutes);
                return 0;
            }
        }
    }

    /** Names a front end's cached frames. */
    private String featureId(ModelConfig c, Augmentation augment) {
        return String.format(Locale.ROOT, "sr%d-fft%d-win%d%s-hop%d-mel%d%s-pre%.2f-%s-seed%d-%s", c.sampleRate,
                c.nFft, c.winLength, c.symmetricWindow ? "s" : "p", c.hopLength, c.nMels,
                c.melScale, c.preEmphasis, c.reflectPad ? "reflect" : "zeros", seed,
                Integer.toHexString(augment.toString().hashCode()));
    }

    /** The front end's frames of every clip and variant, computed where not cached. */
    private FeatureCache features(ModelConfig c, Augmentation augment, Path workDir, List<Clip> clips) throws IOException {
        FeatureCache frames = new FeatureCache(workDir.resolve("cache").resolve(featureId(c, augment)), c, augment, seed);
        try (ProgressBar bar = Training.bar("features " + c.sampleRate + " Hz", (long) clips.size() * (variants + 1))) {
            frames.prepare(clips, variants, Runtime.getRuntime().availableProcessors(), bar::stepBy);
        }
        return frames;
    }

    /** Per track: the calibrated probability of its top genre (0 when not music won) and whether it was right. */
    record Written(double[] top, boolean[] right) {
        static Written of(List<Clip> clips, Map<Clip, float[][]> logits, HeadTraining t, double temperature, int nmIndex) {
            int[] truth = t.truth(clips);
            List<Double> top = new ArrayList<>();
            List<Boolean> right = new ArrayList<>();
            for (int i = 0; i < clips.size(); i++) {
                if (truth[i] == nmIndex) {
                    continue; // the threshold speaks of music
                }
                double[] p = Calibration.trackProbabilities(logits.get(clips.get(i)), temperature);
                int best = Calibration.argmax(p);
                top.add(best == nmIndex ? 0.0 : p[best]);
                right.add(best == truth[i]);
            }
            boolean[] r = new boolean[right.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = right.get(i);
            }
            return new Written(top.stream().mapToDouble(Double::doubleValue).toArray(), r);
        }
    }

    /**
     * The data's folds and the fits over them: outside music in artist-grouped folds, GTZAN in its
     * training and validation splits, not-music clips dealt round the outside folds.
     */
    static final class Folds {
        final HeadTraining t;
        final Dataset.Split split;
        final ArtistClips outside;
        final List<Clip> notMusic;
        final int variants;
        final double balance;
        final int[] outsideFold;
        final Set<Clip> outsideSet;

        Folds(HeadTraining t, Dataset.Split split, ArtistClips outside, List<Clip> notMusic, int variants, double balance, long seed) {
            this.t = t;
            this.split = split;
            this.outside = outside;
            this.notMusic = notMusic;
            this.variants = variants;
            this.balance = balance;
            this.outsideFold = outside.artistFolds(FOLDS, seed);
            this.outsideSet = new HashSet<>(outside.clips());
        }

        List<Clip> outsideFold(int k) {
            return IntStream.range(0, outside.clips().size()).filter(i -> outsideFold[i] == k).mapToObj(outside.clips()::get).toList();
        }

        List<Clip> notMusicFold(int k) {
            return IntStream.range(0, notMusic.size()).filter(i -> i % FOLDS == k).mapToObj(notMusic::get).toList();
        }

        /** Every clip but those left out. */
        SoftmaxRegression fitWithout(Setting s, Set<Clip> leftOut) {
            List<Clip> train = new ArrayList<>();
            for (List<Clip> part : List.of(split.train(), split.valid(), outside.clips(), notMusic)) {
                for (Clip c : part) {
                    if (!leftOut.contains(c)) {
                        train.add(c);
                    }
                }
            }
            ToDoubleFunction<Clip> weight = c -> outsideSet.contains(c) ? s.outsideWeight() : 1;
            return t.fit(train, variants, balance, s.l2(), weight);
        }

        /**
         * @param s the setting
         * @param k the fold to predict
         * @return logits of fold k's outside and not-music clips, from a head fitted on everything else
         */
        Map<Clip, float[][]> predictOutsideFold(Setting s, int k) {
            List<Clip> scored = new ArrayList<>(outsideFold(k));
            scored.addAll(notMusicFold(k));
            return predictWithout(s, scored);
        }

        /** @return logits of the clips, from a head fitted on every other clip (every window of each) */
        Map<Clip, float[][]> predictWithout(Setting s, List<Clip> clips) {
            List<float[][]> l = t.logits(fitWithout(s, new HashSet<>(clips)), clips, 0);
            Map<Clip, float[][]> out = new HashMap<>();
            for (int i = 0; i < clips.size(); i++) {
                out.put(clips.get(i), l.get(i));
            }
            return out;
        }

        /**
         * @param s a setting
         * @return its cross-validated logits: each outside fold and its share of not-music clips by a
         *     head fitted without them, GTZAN's validation clips by a head fitted without the split
         */
        Map<Clip, float[][]> crossValidate(Setting s) {
            Map<Clip, float[][]> cv = new HashMap<>();
            for (int f = 0; f < (outside.clips().isEmpty() ? 0 : FOLDS); f++) {
                cv.putAll(predictOutsideFold(s, f));
            }
            cv.putAll(predictWithout(s, split.valid()));
            return cv;
        }

        /**
         * The setting with the best mean of two scores on the given outside folds' cross-validated
         * predictions: the mean recall over their genres, and the GTZAN validation accuracy. Ties go
         * to the stronger regularisation and the lighter outside weight (listed first).
         *
         * @return its index in the grid
         */
        int best(List<Setting> grid, List<Map<Clip, float[][]>> cv, Set<Integer> folds) {
            int best = -1;
            double bestScore = -1;
            for (int i = 0; i < grid.size(); i++) {
                List<Clip> music = new ArrayList<>();
                for (int f : folds) {
                    music.addAll(outsideFold(f));
                }
                double score = music.isEmpty() ? accuracy(split.valid(), cv.get(i))
                        : (meanRecall(music, cv.get(i)) + accuracy(split.valid(), cv.get(i))) / 2;
                if (score > bestScore + 1e-9 || Math.abs(score - bestScore) <= 1e-9 && grid.get(i).l2() > grid.get(best).l2()) {
                    best = i;
                    bestScore = score;
                }
            }
            return best;
        }

        double accuracy(List<Clip> clips, Map<Clip, float[][]> logits) {
            int[] truth = t.truth(clips);
            int right = 0;
            for (int i = 0; i < clips.size(); i++) {
                right += Calibration.argmax(Calibration.trackProbabilities(logits.get(clips.get(i)), 1)) == truth[i] ? 1 : 0;
            }
            return (double) right / Math.max(1, clips.size());
        }

        /** Mean over the clips' labels of the fraction of each label's clips predicted as it. */
        double meanRecall(List<Clip> clips, Map<Clip, float[][]> logits) {
            int[] truth = t.truth(clips);
            Map<Integer, int[]> perLabel = new HashMap<>();
            for (int i = 0; i < clips.size(); i++) {
                int[] c = perLabel.computeIfAbsent(truth[i], x -> new int[2]);
                c[0]++;
                c[1] += Calibration.argmax(Calibration.trackProbabilities(logits.get(clips.get(i)), 1)) == truth[i] ? 1 : 0;
            }
            return perLabel.values().stream().mapToDouble(c -> (double) c[1] / c[0]).average().orElse(0);
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

    static ClassificationReport report(List<Clip> clips, Map<Clip, float[][]> logits, HeadTraining t, double temperature,
            List<String> labels) {
        int[] truth = t.truth(clips);
        int[] pred = new int[clips.size()];
        for (int i = 0; i < pred.length; i++) {
            pred[i] = Calibration.argmax(Calibration.trackProbabilities(logits.get(clips.get(i)), temperature));
        }
        return ClassificationReport.of(truth, pred, labels);
    }
}
