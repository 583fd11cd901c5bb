package org.genretagger.host;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genretagger.api.LearnException;
import org.genretagger.api.LearnReport;
import org.genretagger.api.LearnRequest;
import org.genretagger.api.TrackResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Learns the user's own genres from the tracks under a folder that already carry genre tags. */
@Command(name = "learn", mixinStandardHelpOptions = true,
        description = {"Learn your own genres from the tagged tracks under DIR, holding whole albums out to measure how well it does; "
                + "then tag the rest with retag --model MODEL_DIR.",
            "Genre names are matched ignoring case, spaces, '-', '_' and '/'; the form most tracks use is written."})
final class LearnCommand extends HostCli.HostCommand {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the tagged library, scanned recursively")
    Path root;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
            description = "where the model, REPORT.md and the feature cache go (a rerun reuses the cache)")
    Path out;

    @Option(names = "--labels", defaultValue = "first", paramLabel = "first|all",
            description = "a track with several genres counts for its first (default) or for each")
    String labels;

    @Option(names = "--alias", paramLabel = "FILE", description = "genre merges, one 'NAME = GENRE' a line (e.g. Alt Rock = Rock); # comments")
    Path alias;

    @Option(names = "--min-tracks", defaultValue = "20", paramLabel = "N", description = "leave out genres with fewer tracks (default ${DEFAULT-VALUE})")
    int minTracks;

    @Option(names = "--windows", defaultValue = "" + LearnRequest.DEFAULT_WINDOWS, paramLabel = "N",
            description = "windows per track averaged into its features; retag --model classifies as many. More is surer and "
                    + "slower (default ${DEFAULT-VALUE})")
    int windows;

    @Option(names = "--genres", split = ",", paramLabel = "A,B,C", description = "learn only these genres")
    List<String> genres = List.of();

    @Mixin
    ScanOptions scan;

    @Option(names = "--config", paramLabel = "FILE", description = "config file with option defaults")
    Path config;

    @Override
    public Integer call() throws IOException {
        boolean all = switch (labels.toLowerCase(Locale.ROOT)) {
            case "first" -> false;
            case "all" -> true;
            default -> throw new IllegalArgumentException("--labels must be first or all, not '" + labels + "'");
        };
        LearnRequest request = LearnRequest.builder(root, out).allLabels(all).aliases(alias != null ? readAliases(alias) : Map.of())
                .minTracks(minTracks).windows(windows).genres(genres)
                .threads(scan.threads).includes(scan.includes).excludes(scan.excludes).build();
        PrintWriter pw = spec.commandLine().getOut();
        pw.println("learn from " + root + " into " + out);
        pw.flush();
        LearnReport r;
        try (PluginHost host = host(); ProgressListener progress = new ProgressListener(System.out, "learn")) {
            r = host.learner().learn(request, progress);
        } catch (LearnException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return HostCli.SOME_FAILED;
        }
        pw.printf(Locale.ROOT, "%d genres, held-out accuracy %.3f (on albums never trained on); features: %d decoded, %d from the cache%n",
                r.genres().size(), r.heldOutAccuracy(), r.decoded(), r.cached());
        for (LearnReport.GenreFigures g : r.perGenre()) {
            pw.printf(Locale.ROOT, "  %-20s %4d trained, %4d held out: precision %.2f, recall %.2f%n", g.genre(), g.trainTracks(),
                    g.heldOutTracks(), g.precision(), g.recall());
        }
        for (String s : r.leftOut()) {
            pw.println("left out: " + s);
        }
        for (TrackResult t : r.failed()) {
            pw.println("skipped: " + t.message());
        }
        pw.printf(Locale.ROOT, "threshold %.2f: %s%n", r.minConfidence(), r.thresholdMeaning());
        double seconds = r.elapsed().toMillis() / 1000.0;
        pw.printf(Locale.ROOT, "learned in %.1f s (%.2f tracks/s, %d tracks)%n", seconds,
                (r.decoded() + r.cached()) / Math.max(1e-3, seconds), r.decoded() + r.cached());
        pw.println("report: " + out.resolve("REPORT.md"));
        pw.println("use it: host-demo retag DIR --model " + out + "   (or model=" + out + " in the config file)");
        pw.flush();
        return HostCli.OK;
    }

    /**
     * @param file one {@code NAME = GENRE} a line; blank lines and {@code #} comments ignored
     * @return name to genre
     */
    static Map<String, String> readAliases(Path file) throws IOException {
        Map<String, String> aliases = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0 || line.substring(eq + 1).isBlank()) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected NAME = GENRE, not '" + line + "'");
            }
            aliases.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return aliases;
    }
}
