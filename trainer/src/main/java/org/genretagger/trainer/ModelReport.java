package org.genretagger.trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.genretagger.plugin.model.ModelConfig;
import org.genretagger.trainer.data.Clip;
import org.genretagger.trainer.data.Dataset;
import org.genretagger.plugin.evaluation.ConfidenceThreshold;
import org.genretagger.trainer.report.EpochLog;

/** Writes the model's REPORT.md from the figures of a training run. */
final class ModelReport {

    /** Everything the report says, gathered by the train command. */
    record Inputs(ModelConfig config, Dataset dataset, Dataset.Split split, List<EpochLog> history,
            Evaluation.Result validation, double eceBefore, double eceAfter, List<String> sampleCurve, String args,
            double minutes, Training.Options options, String augmentation, String commit, List<ConfidenceThreshold.Row> thresholds) {}

    private ModelReport() {}

    static void write(Path file, Inputs in) throws IOException {
        ModelConfig c = in.config();
        StringBuilder md = new StringBuilder();
        md.append("# Model report: ").append(c.name).append(' ').append(c.version).append("\n\n");
        md.append("Written by `trainer train` at the end of the run that produced the weights beside it.\n\n");
        md.append("## How it was made\n\n");
        md.append("```\njava -jar trainer/target/trainer.jar train ").append(in.args()).append("\n```\n\n");
        md.append(String.format("- took %.1f minutes on %d cores (features, %d epochs, calibration, evaluation)%n",
                in.minutes(), Runtime.getRuntime().availableProcessors(), in.history().size()));
        md.append("- source commit when training started: `").append(in.commit()).append("`\n");
        md.append(String.format("- options: batch %d, Adam lr %.2g (halved after 3 epochs without a lower validation loss), "
                        + "early stopping after %d epochs without a better validation track accuracy, "
                        + "%d augmented variants per training clip, class balance exponent %.2f, seed %d%n",
                in.options().batchSize(), in.options().learningRate(), in.options().patience(), in.options().variants(),
                in.options().balance(), in.options().seed()));
        md.append("- augmentation: ").append(in.augmentation())
                .append("; each training window starts at a random frame and gets up to two time and two mel-band masks\n\n");

        md.append("## Data\n\n");
        int clips = in.dataset().clips().size();
        java.util.Set<String> formats = new java.util.TreeSet<>();
        in.dataset().clips().forEach(clip -> {
            String n = clip.file().getFileName().toString();
            formats.add(n.substring(n.lastIndexOf('.') + 1));
        });
        md.append(clips < 1000 ? "A partial GTZAN: " + clips + " of its 1000 30-second clips" : clips + " clips")
                .append(" (files: ").append(String.join(", ", formats)).append("). Splits are by track ")
                .append("(no window of a track is in two splits). Validation figures come from ")
                .append(in.split().valid().size()).append(" clips");
        long small = in.split().valid().stream().map(Clip::label).distinct()
                .filter(g -> in.split().valid().stream().filter(clip -> clip.label().equals(g)).count() <= 3).count();
        if (small > 0) {
            md.append("; ").append(small).append(" genres have three validation clips or fewer, where one clip moves the ")
                    .append("genre's recall by a third or more, so read their per-genre figures as anecdotes");
        }
        md.append(".\n\n");
        md.append("| genre | train | valid |\n| --- | --- | --- |\n");
        Map<String, int[]> counts = new TreeMap<>();
        for (Clip clip : in.split().train()) {
            counts.computeIfAbsent(clip.label(), k -> new int[2])[0]++;
        }
        for (Clip clip : in.split().valid()) {
            counts.computeIfAbsent(clip.label(), k -> new int[2])[1]++;
        }
        counts.forEach((g, n) -> md.append("| ").append(g).append(" | ").append(n[0]).append(" | ").append(n[1]).append(" |\n"));

        md.append("\n## Features and network\n\n");
        md.append(String.format("- log-mel: %d Hz, n_fft %d, hop %d, %d Slaney mels (librosa 0.11's numbers, our Java code)%n",
                c.sampleRate, c.nFft, c.hopLength, c.nMels));
        md.append(String.format("- windows: %d frames (%.2f s), hop %d frames (%.2f s); normalisation `%s` (top_db %.0f)%n",
                c.windowFrames, c.windowSeconds(), c.windowHopFrames, c.windowHopSeconds(), c.normalisation, c.topDb));
        md.append("- network: ").append(c.channels.size()).append(" blocks of 3x3 conv (").append(c.channels)
                .append(" channels) + batch norm + ReLU + 2x2 max pool, global average pool, dropout ")
                .append(c.dropout).append(", linear\n");
        md.append("- track verdict: mean of the window probabilities\n\n");

        md.append("## Validation (track level, full analysis, through the plugin's own decoding and inference)\n\n");
        md.append("```\n").append(in.validation().track().format()).append("```\n\n");
        md.append("Window level:\n\n```\n").append(in.validation().window().format()).append("```\n\n");
        md.append("![confusion matrix](confusion-matrix.png)\n\n");

        md.append("## Training curves\n\n![training curves](training-curves.png)\n\n");
        md.append("| epoch | train loss | train window acc | valid window acc | valid track acc | valid loss | lr | elapsed s |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (EpochLog e : in.history()) {
            md.append(String.format("| %d | %.4f | %.3f | %.3f | %.3f | %.4f | %.2g | %.0f |%n", e.epoch(), e.trainLoss(),
                    e.trainWindowAcc(), e.validWindowAcc(), e.validTrackAcc(), e.validLoss(), e.learningRate(), e.elapsedSeconds()));
        }

        md.append("\n## Calibration and the confidence threshold\n\n");
        md.append(String.format("Temperature scaling fitted on the validation tracks: T = %.3f; expected calibration error "
                + "(15 bins, track level) %.3f before, %.3f after. The threshold and temperature are chosen on the same "
                + "validation data they are reported on, so expect them to be a little optimistic on new music.%n%n",
                c.temperature, in.eceBefore(), in.eceAfter()));
        md.append("Default `--min-confidence`: **").append(String.format("%.2f", c.defaultMinConfidence)).append("**. ")
                .append(c.thresholdMeaning).append("\n\n");
        md.append("| threshold | tracks kept | coverage | precision of written tags |\n| --- | --- | --- | --- |\n");
        for (ConfidenceThreshold.Row r : in.thresholds()) {
            md.append(String.format("| %.2f | %d | %.2f | %.3f |%n", r.threshold(), r.count(), r.coverage(), r.precision()));
        }

        md.append("\n## Analysis depth: accuracy against windows per track\n\n");
        md.append("Validation track accuracy when only N windows spread over each track are classified "
                + "(inference cost scales with N; a 4-minute track has about 160 windows in full).\n\n");
        md.append("| analysis | valid track accuracy |\n| --- | --- |\n");
        in.sampleCurve().forEach(row -> md.append(row).append('\n'));
        md.append("\nDefault analysis: **").append(c.defaultSampleWindows == 0 ? "full" : "sample:" + c.defaultSampleWindows)
                .append("**, the fewest windows that lose at most one validation track against full analysis.\n");
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    /** @return HEAD of the working tree, with "+changes" if it has uncommitted changes */
    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                return "unknown";
            }
            Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").redirectErrorStream(true).start();
            boolean dirty = !new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
            return d.waitFor() == 0 && dirty ? s + " +uncommitted changes" : s;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
