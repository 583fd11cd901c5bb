package org.genretagger.host;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.genretagger.api.Analysis;
import org.genretagger.api.ClassificationException;
import org.genretagger.api.GenreClassifier;
import org.genretagger.api.GenreScore;
import org.genretagger.api.TrackPrediction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the top genres of each file. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = "Print the most likely genres of each FILE, with probabilities.")
final class ClassifyCommand extends HostCli.HostCommand {
    private static final Gson GSON = new Gson();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "audio files")
    List<Path> files;

    @Option(names = "--json", description = "one JSON object per line: {file, genres:[{genre,label,probability}], windows, seconds} or {file, error}; "
            + "with --genres, only those genres (and not music) in genres")
    boolean json;

    @Option(names = "--top", defaultValue = "3", paramLabel = "N", description = "genres shown per file in text output (default ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--analysis", paramLabel = "full|sample:N", description = "windows classified per track (default: the model's)")
    String analysis;

    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "a model made by learn (default: the shipped model)")
    Path model;

    @Option(names = "--genres", split = ",", paramLabel = "A,B,C",
            description = "report only these genres (model labels or names, any case; default: all the model's): the others are set "
                    + "aside and these share their probability")
    List<String> genres = List.of();

    @Override
    public Integer call() {
        Analysis a = analysis != null ? Analysis.parse(analysis) : null;
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        try (PluginHost host = host()) {
            GenreClassifier classifier = classifier(host, model).forGenres(genres);
            for (Path f : files) {
                try {
                    TrackPrediction p = classifier.classify(f, a);
                    out.println(json ? toJson(p) : toText(p));
                } catch (ClassificationException e) {
                    failed++;
                    if (json) {
                        JsonObject o = new JsonObject();
                        o.addProperty("file", f.toString());
                        o.addProperty("error", e.getMessage());
                        out.println(GSON.toJson(o));
                    } else {
                        out.println(f + "\n  error: " + e.getMessage());
                    }
                }
                out.flush();
            }
        }
        return failed == 0 ? HostCli.OK : HostCli.SOME_FAILED;
    }

    private String toText(TrackPrediction p) {
        StringBuilder sb = new StringBuilder(p.file().toString());
        sb.append(String.format(Locale.ROOT, "  (%.1f s, %d windows)", p.seconds(), p.windows()));
        for (GenreScore g : p.top(top)) {
            sb.append(String.format(Locale.ROOT, "%n  %-10s %5.1f %%", g.genre(), 100 * g.probability()));
        }
        return sb.toString();
    }

    static String toJson(TrackPrediction p) {
        JsonObject o = new JsonObject();
        o.addProperty("file", p.file().toString());
        JsonArray genres = new JsonArray();
        for (GenreScore g : p.genres()) {
            JsonObject j = new JsonObject();
            j.addProperty("genre", g.genre());
            j.addProperty("label", g.label());
            j.addProperty("probability", g.probability());
            genres.add(j);
        }
        o.add("genres", genres);
        o.addProperty("windows", p.windows());
        o.addProperty("seconds", p.seconds());
        return GSON.toJson(o);
    }
}
