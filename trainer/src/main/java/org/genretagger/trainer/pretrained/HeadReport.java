package org.genretagger.trainer.pretrained;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genretagger.plugin.evaluation.Calibration;
import org.genretagger.plugin.evaluation.ClassificationReport;
import org.genretagger.plugin.evaluation.ConfidenceThreshold;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.trainer.Evaluation;
import org.genretagger.trainer.data.ArtistClips;
import org.genretagger.trainer.data.Clip;
import org.genretagger.trainer.data.Dataset;

/**
 * {@code REPORT.md} of a model trained by {@link HeadRecipe}: written by the trainer, never by hand.
 * Every figure says what it rests on: which clips, how many, and whether the settings were chosen on them.
 */
record HeadReport(ModelConfig c, ModelConfig bc, Dataset.Split split, ArtistClips outside, HeadRecipe.Folds folds,
        List<Clip> notMusic, List<HeadRecipe.Setting> grid, List<String> foldChoices, HeadRecipe.Setting chosen,
        Evaluation.Result validation, Map<Clip, float[][]> oof, HeadTraining t, double eceBefore, double eceAfter,
        ConfidenceThreshold.Choice threshold, String windowsSource, String windowsTable, String robustness, String augment,
        String command, double minutes, int variants, int patches, double balance) {

    void write(Path file) throws IOException {
        StringBuilder s = new StringBuilder();
        int artists = new HashSet<>(outside.artist().values()).size();
        s.append("# ").append(c.name).append(" ").append(c.version).append("\n\n");
        s.append("A linear head on the evidence of a frozen pretrained network (").append(bc.base.name()).append(", ")
                .append(bc.base.source()).append(", sha256 `").append(bc.base.sha256())
                .append("`; licence notices in `pretrained/`): its embedding")
                .append(c.network.equals("efficientat") ? " and its own 527 AudioSet outputs (genres and sounds)" : "")
                .append(c.companion == null ? "" : String.format(Locale.ROOT, "; beside it a second frozen network (%s, %s, sha256 `%s`) "
                        + "on %d patch%s of %.1f s inside each window: its embedding and its own %d outputs (%s, ...), averaged over "
                        + "the patches", c.companion.base.name(), c.companion.base.source(), c.companion.base.sha256(),
                        c.companionPatches, c.companionPatches == 1 ? "" : "es", c.companion.windowSeconds(), c.companion.numClasses(),
                        String.join(", ", c.companion.labels.subList(0, Math.min(5, c.companion.labels.size())))))
                .append(". Trained on GTZAN clips").append(outside.clips().isEmpty() ? "" : ", on music from outside GTZAN")
                .append(notMusic.isEmpty() ? "" : " and on generated not-music clips (speech, noise, tones, hum, clicks, near-silence)")
                .append(".\n\nWritten by the trainer; do not edit. Rebuild:\n\n    ").append(command).append("\n\n");
        s.append(String.format(Locale.ROOT, "Took %.1f minutes on this machine (2-core VM).%n%n", minutes));

        s.append("## Data\n\n| set | clips | what |\n| --- | --- | --- |\n");
        s.append(String.format(Locale.ROOT, "| GTZAN | %d (%d training, %d validation) | the splits' clips; ten genres, six of them with 7-11 clips |%n",
                split.train().size() + split.valid().size(), split.train().size(), split.valid().size()));
        if (!outside.clips().isEmpty()) {
            s.append(String.format(Locale.ROOT, "| outside music | %d (%d artists) | %s; %d artist-grouped folds |%n",
                    outside.clips().size(), artists, counts(outside.clips()), HeadRecipe.FOLDS));
        }
        if (!notMusic.isEmpty()) {
            s.append(String.format(Locale.ROOT, "| not music (generated) | %d | a class of its own; scored in held-out folds |%n", notMusic.size()));
        }
        s.append("\n## Recipe\n\n");
        s.append(String.format(Locale.ROOT, "- Front end: %d Hz, n_fft %d (window %d), hop %d, %d %s mels, normalisation `%s`; %d-frame (%.1f s) windows.%n",
                c.sampleRate, c.nFft, c.winLength > 0 ? c.winLength : c.nFft, c.hopLength, c.nMels, c.melScale, c.normalisation,
                c.windowFrames, c.windowSeconds()));
        if (c.companion != null) {
            ModelConfig m = c.companion;
            s.append(String.format(Locale.ROOT, "- Companion front end: %d Hz, n_fft %d, hop %d, %d %s mels, normalisation `%s`; "
                    + "%d patch%s of %d frames (%.1f s) per window, spread evenly over it.%n", m.sampleRate, m.nFft, m.hopLength, m.nMels,
                    m.melScale, m.normalisation, c.companionPatches, c.companionPatches == 1 ? "" : "es", m.windowFrames, m.windowSeconds()));
        }
        s.append(String.format(Locale.ROOT, "- Head: softmax regression on the evidence of every window, class balance exponent %.1f, "
                + "each clip weighing the same whatever its windows%s.%n", balance,
                variants > 0 ? String.format(Locale.ROOT, ", clean and %d augmented variants (%d random windows each; %s)", variants, patches, augment) : ""));
        s.append("- Settings tried: ").append(grid.stream().map(Object::toString).toList()).append(".\n");
        if (!outside.clips().isEmpty()) {
            s.append("- Chosen by the mean of two scores: mean recall over the outside genres by artist-grouped cross-validation, ")
                    .append("and GTZAN validation accuracy of a head fitted without the validation split. ")
                    .append("For the outside figures below, each fold's setting was the one that scored best on the other folds: ")
                    .append(foldChoices).append(". Shipped: ").append(chosen).append(", chosen on every fold.\n");
        } else {
            s.append("- Chosen on GTZAN validation accuracy: ").append(chosen).append(".\n");
        }
        s.append(String.format(Locale.ROOT, "- The shipped head is fitted on every clip above.%n%n"));

        List<String> labels = c.labels;
        if (!outside.clips().isEmpty()) {
            List<Clip> music = outside.clips();
            ClassificationReport r = HeadRecipe.report(music, oof, t, c.temperature, labels);
            s.append("## Outside music, artist-grouped cross-validation\n\n");
            s.append(String.format(Locale.ROOT, "%d clips of %d artists, each predicted by a head that never heard its artist, "
                    + "in a setting chosen on other artists; all windows of each 30 s clip.%n%n", music.size(), artists));
            s.append(perGenre(r, music, labels));
            s.append(String.format(Locale.ROOT, "%nMean recall over the outside genres: %.3f. Called not music: %d of %d.%n%n",
                    meanRecall(r, music), calledNotMusic(music), music.size()));
        }
        List<Clip> gtzan = new ArrayList<>(split.train());
        gtzan.addAll(split.valid());
        ClassificationReport g = HeadRecipe.report(gtzan, oof, t, c.temperature, labels);
        s.append("## Out of fold: GTZAN\n\n");
        s.append(String.format(Locale.ROOT, "%d clips: validation clips by a head fitted without them, training clips by a head fitted "
                + "without them (so on %d clips only, and weaker); the shipped setting, chosen partly on the validation split.%n%n",
                gtzan.size(), split.valid().size()));
        s.append(perGenre(g, gtzan, labels));
        s.append(String.format(Locale.ROOT, "%nTrack accuracy %.3f (%d clips). Called not music: %d.%n%n", g.accuracy(), gtzan.size(),
                calledNotMusic(gtzan)));
        if (!notMusic.isEmpty()) {
            List<Clip> scored = notMusic.stream().filter(oof::containsKey).toList();
            int nm = labels.indexOf(c.notMusicLabel);
            long right = scored.stream().filter(x -> top(x) == nm).count();
            s.append(String.format(Locale.ROOT, "## Not music%n%nGenerated not-music clips in held-out folds: %d of %d heard as not music.%n%n",
                    right, scored.size()));
        }
        s.append("## Calibration and the threshold\n\n");
        s.append(String.format(Locale.ROOT, "Temperature %.3f, fitted on the out-of-fold predictions above (%d clips); track ECE %.3f -> %.3f.%n%n",
                c.temperature, oof.size(), eceBefore, eceAfter));
        s.append("Default threshold ").append(String.format(Locale.ROOT, "%.2f", c.defaultMinConfidence))
                .append(": the lowest at which 90 % of the written tags were right on the out-of-fold predictions of ")
                .append(outside.clips().isEmpty() ? "GTZAN" : "the outside music").append(" (all windows of each clip). ")
                .append(c.thresholdMeaning).append("\n\n");
        s.append("## Windows per track\n\nOn ").append(windowsSource).append(", by heads that never heard them:\n\n").append(windowsTable)
                .append(String.format(Locale.ROOT, "%nDefault: %s (the fewest within one standard error of every window, and at least %d: "
                        + "40 s of music, so that one intro, break or outro cannot decide a song).%n%n",
                        c.defaultSampleWindows == 0 ? "every window" : c.defaultSampleWindows + " windows per track", LongTracks.MIN_WINDOWS));
        s.append("## GTZAN validation through the plugin\n\n").append(validation.track().support())
                .append(" clips, head fitted without them, through the plugin's own decode and inference (every window):\n\n")
                .append("```\n").append(validation.track().format()).append("```\n\n");
        s.append("## Robustness\n\nThe same validation clips, default analysis, on copies degraded as users' files are:\n\n").append(robustness);
        Files.writeString(file, s.toString());
    }

    private int top(Clip clip) {
        return Calibration.argmax(Calibration.trackProbabilities(oof.get(clip), c.temperature));
    }

    private long calledNotMusic(List<Clip> clips) {
        int nm = c.notMusicLabel == null ? -1 : c.labels.indexOf(c.notMusicLabel);
        return clips.stream().filter(x -> top(x) == nm).count();
    }

    private static String counts(List<Clip> clips) {
        Map<String, Long> n = new java.util.TreeMap<>();
        for (Clip x : clips) {
            n.merge(x.label(), 1L, Long::sum);
        }
        return n.toString().replace("{", "").replace("}", "").replace("=", " ");
    }

    private static double meanRecall(ClassificationReport r, List<Clip> clips) {
        return clips.stream().map(Clip::label).distinct().mapToDouble(l -> r.forLabel(l).recall()).average().orElse(0);
    }

    /** Recall and precision of the genres the clips hold, with the counts they rest on. */
    private static String perGenre(ClassificationReport r, List<Clip> clips, List<String> labels) {
        StringBuilder s = new StringBuilder("| genre | clips | recall | precision | most often mistaken for |\n| --- | --- | --- | --- | --- |\n");
        int[][] m = r.confusionMatrix().counts();
        for (String l : clips.stream().map(Clip::label).distinct().sorted().toList()) {
            int i = labels.indexOf(l);
            ClassificationReport.ClassMetrics cm = r.forLabel(l);
            int worst = -1;
            for (int j = 0; j < labels.size(); j++) {
                if (j != i && m[i][j] > 0 && (worst < 0 || m[i][j] > m[i][worst])) {
                    worst = j;
                }
            }
            s.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %s |%n", l, cm.support(), cm.recall(), cm.precision(),
                    worst < 0 ? "-" : labels.get(worst) + " (" + m[i][worst] + ")"));
        }
        return s.toString();
    }
}
