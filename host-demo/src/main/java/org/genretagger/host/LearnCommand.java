package org.genretagger.host;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.genretagger.api.LabelledTrack;
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

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "the tagged library, scanned recursively")
    Path root;

    @Option(names = "--tracks", paramLabel = "FILE.jsonl",
            description = {"learn from these tracks with these genres instead of scanning DIR and reading tags (e.g. a library "
                    + "manager's database, as the beets plugin's genretag --learn): one JSON object a line, "
                    + "{\"path\":..., \"genres\":[...], \"albumartist\":..., \"artist\":..., \"album\":...} "
                    + "(genres may be one string; the album fields may be left out)"})
    Path tracks;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
            description = "where the model, REPORT.md and the feature cache go (a rerun reuses the cache)")
    Path out;

    @Option(names = "--labels", paramLabel = "first|all", converter = Converters.AllLabels.class,
            description = "a track with several genres counts for its first (default) or for each")
    Boolean allLabels;

    @Option(names = "--alias", paramLabel = "FILE", description = "genre merges, one 'NAME = GENRE' a line (e.g. Alt Rock = Rock); # comments")
    Path alias;

    @Option(names = "--min-tracks", defaultValue = "" + LearnRequest.DEFAULT_MIN_TRACKS, paramLabel = "N", description = "leave out genres with fewer tracks (default ${DEFAULT-VALUE})")
    int minTracks;

    @Option(names = "--windows", defaultValue = "" + LearnRequest.DEFAULT_WINDOWS, paramLabel = "N",
            description = "windows per track averaged into its features; retag --model classifies as many. More is surer and "
                    + "slower (default ${DEFAULT-VALUE})")
    int windows;

    @Option(names = "--genres", split = ",", paramLabel = "A,B,C", description = "learn only these genres")
    List<String> genres = List.of();

    @Mixin
    ScanOptions scan;

    @Mixin
    ConfigDefaults.ConfigOption config;

    @Override
    public Integer call() throws IOException {
        if ((root == null) == (tracks == null)) {
            throw new IllegalArgumentException("learn needs DIR or --tracks FILE (one of them)");
        }
        List<LabelledTrack> given = tracks != null ? readTracks(tracks) : List.of();
        LearnRequest.Builder request = LearnRequest.builder(root != null ? root : tracks, out).tracks(given).aliases(alias != null ? readAliases(alias) : Map.of())
                .minTracks(minTracks).windows(windows).genres(genres)
                .includes(scan.includes).excludes(scan.excludes);
        ifGiven(allLabels, request::allLabels);
        ifGiven(scan.threads, request::threads);
        PrintWriter pw = spec.commandLine().getOut();
        pw.println("learn from " + (root != null ? root : given.size() + " tracks listed in " + tracks) + " into " + out);
        pw.flush();
        LearnReport r;
        try (PluginHost host = host(); ProgressListener progress = new ProgressListener(System.out, "learn")) {
            r = host.learner().learn(request.build(), progress);
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
     * @param file one JSON object a line: path, genres (an array or one string), albumartist, artist, album
     * @return the tracks
     */
    static List<LabelledTrack> readTracks(Path file) throws IOException {
        List<LabelledTrack> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                List<String> genres = new ArrayList<>();
                JsonElement g = o.get("genres");
                if (g != null && g.isJsonArray()) {
                    g.getAsJsonArray().forEach(e -> genres.add(e.getAsString()));
                } else if (g != null && !g.isJsonNull()) {
                    genres.add(g.getAsString());
                }
                if (!o.has("path")) {
                    throw new IllegalStateException("no \"path\"");
                }
                out.add(new LabelledTrack(Path.of(o.get("path").getAsString()), genres, text(o, "albumartist"), text(o, "artist"),
                        text(o, "album")));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected {\"path\":..., \"genres\":[...]} ("
                        + e.getMessage() + ")");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + " lists no tracks");
        }
        return out;
    }

    private static String text(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
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
