package org.genretagger.plugin.learn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.genretagger.api.LearnReport;
import org.genretagger.api.LearnRequest;
import org.genretagger.api.TrackResult;
import org.genretagger.plugin.evaluation.ClassificationReport;
import org.genretagger.plugin.evaluation.ConfidenceThreshold;
import org.genretagger.plugin.model.ModelConfig;

/** Writes a learned model's {@code REPORT.md}: data, what was left out, held-out figures, how to reproduce. */
final class LearnReportWriter {
    static final String FILE = "REPORT.md";

    private LearnReportWriter() {}

    /**
     * @param r the request
     * @return the host-demo command that makes the same model
     */
    static String command(LearnRequest r) {
        List<String> parts = new ArrayList<>(r.tracks().isEmpty()
                ? List.of("host-demo", "learn", quote(r.root().toString()), "--out", quote(r.modelDir().toString()))
                : List.of("host-demo", "learn", "--tracks", quote(r.root().toString()), "--out", quote(r.modelDir().toString())));
        if (r.allLabels()) {
            parts.add("--labels all");
        }
        if (!r.aliases().isEmpty()) {
            parts.add("--alias ALIASES_FILE");
        }
        if (r.windows() != LearnRequest.DEFAULT_WINDOWS) {
            parts.add("--windows " + r.windows());
        }
        if (r.minTracks() != LearnRequest.DEFAULT_MIN_TRACKS) {
            parts.add("--min-tracks " + r.minTracks());
        }
        if (!r.genres().isEmpty()) {
            parts.add("--genres " + quote(String.join(",", r.genres())));
        }
        for (String g : r.includes()) {
            parts.add("--include " + quote(g));
        }
        for (String g : r.excludes()) {
            parts.add("--exclude " + quote(g));
        }
        return String.join(" ", parts);
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./,:=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    static void write(LearnRequest request, LearnReport report, AlbumSplit.Result split, ClassificationReport figures,
            ConfidenceThreshold.Choice threshold, double temperature, ModelConfig base, String baseSha) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Learned genre model\n\n");
        md.append(String.format(Locale.ROOT, "Learned from `%s` on base network %s %s (weights sha256 `%s`), %d genres.%n%n",
                request.root(), base.name, base.version, baseSha, report.genres().size()));
        md.append(String.format(Locale.ROOT, "**Held-out accuracy %.3f** on %d tracks of albums never trained on "
                + "(macro F1 %.3f). %s%n%n", figures.accuracy(), figures.support(), figures.macroAvg().f1(), capitalise(split.why()) + "."));
        md.append("## Data\n\n| genre | albums | tracks trained on | tracks held out | held-out precision | held-out recall |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (LearnReport.GenreFigures g : report.perGenre()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.2f | %.2f |%n", g.genre(), g.albums(), g.trainTracks(),
                    g.heldOutTracks(), g.precision(), g.recall()));
        }
        md.append(String.format(Locale.ROOT, "%nFeatures: %d tracks decoded in this run, %d from the cache (`%s`).%n",
                report.decoded(), report.cached(), FeatureCache.FILE));
        md.append("\n## Left out\n\n");
        if (report.leftOut().isEmpty() && report.failed().isEmpty()) {
            md.append("Nothing.\n");
        }
        for (String s : report.leftOut()) {
            md.append("- ").append(s).append('\n');
        }
        if (!report.failed().isEmpty()) {
            md.append("- ").append(report.failed().size()).append(" files could not be read:\n");
            for (TrackResult t : report.failed()) {
                md.append("  - ").append(t.message().replace("\n", " ")).append('\n');
            }
        }
        md.append("\n## Held-out figures\n\n```\n").append(figures.format()).append("```\n\n");
        md.append("Confusion matrix (rows: the genre a held-out track had; columns: the genre it was given):\n\n|  |");
        for (String g : report.genres()) {
            md.append(' ').append(g).append(" |");
        }
        md.append("\n| --- |").append(" ---: |".repeat(report.genres().size())).append('\n');
        int[][] counts = figures.confusionMatrix().counts();
        for (int i = 0; i < counts.length; i++) {
            md.append("| ").append(report.genres().get(i)).append(" |");
            for (int c : counts[i]) {
                md.append(' ').append(c).append(" |");
            }
            md.append('\n');
        }
        md.append(String.format(Locale.ROOT, "%n## Calibration and threshold%n%nTemperature %.3f, fitted on the held-out tracks. "
                + "Default --min-confidence %.2f: %s%n", temperature, threshold.threshold(), threshold.describe("held-out")));
        md.append("\n## Model\n\nA softmax regression (L2 ").append(Learner.L2).append(", classes weighted equally, ")
                .append(Learner.STEPS).append(" Adam steps) on the mean of the base network's window embeddings "
                        + "(standardised inside the fit), at the base model's default analysis; trained on the tracks not held out. "
                        + "With --labels all a track counts once for each of its genres.\n");
        md.append("\n## Reproduce\n\n    ").append(command(request)).append("\n\nUse it:\n\n    host-demo retag DIR --model ")
                .append(request.modelDir()).append("\n    host-demo classify --model ").append(request.modelDir()).append(" FILE\n");
        Files.writeString(request.modelDir().resolve(FILE), md.toString(), StandardCharsets.UTF_8);
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
