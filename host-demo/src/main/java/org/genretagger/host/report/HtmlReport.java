package org.genretagger.host.report;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.genretagger.api.GenreScore;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.RetagReport;
import org.genretagger.api.TrackResult;
import org.genretagger.api.WindowPrediction;

/**
 * A run's report as one self-contained HTML page ({@code report.html} beside this class: inline
 * CSS and script, no network). The tracks go in as one JSON blob that the page's script turns
 * into the summary, the charts and the table, which keeps the page small and fast for 10 000
 * tracks. Opened with {@code #selftest}, the page checks itself and writes the result into
 * {@code <pre id="selftest">}.
 */
public final class HtmlReport {
    private static final String TEMPLATE = "report.html";
    private static final String PLACEHOLDER = "__REPORT_DATA__";
    // Gson's default HTML escaping turns '<' into \u003c, so no "</script>" can end the blob early.
    private static final Gson GSON = new Gson();

    private HtmlReport() {}

    public static void write(RetagReport report, ModelInfo model, Path file) throws IOException {
        String template;
        try (InputStream in = HtmlReport.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IOException("the report template " + TEMPLATE + " is missing from the jar");
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(file, template.replace(PLACEHOLDER, GSON.toJson(data(report, model))), StandardCharsets.UTF_8);
    }

    /**
     * Rows are arrays, not objects, to keep 10 000 tracks to a few MB: path, outcome, genres before,
     * genres after, top-3 as [genre, probability], album, the track's own top genre, message, and
     * its windows as one string of two characters each (label index as a letter, the window's top
     * probability in tenths as a digit) with the windows' start times in seconds beside it.
     */
    static JsonObject data(RetagReport report, ModelInfo model) {
        JsonObject root = new JsonObject();
        root.addProperty("generated", Instant.now().toString());
        root.addProperty("minConfidence", report.minConfidence());
        root.addProperty("seconds", report.elapsed().toMillis() / 1000.0);
        root.addProperty("journal", report.journal() == null ? null : report.journal().toString());
        // Applying a plan loads no model: the page then names none.
        root.addProperty("model", model == null ? "" : model.name() + " " + model.version());
        root.add("genres", GSON.toJsonTree(model == null ? java.util.List.of() : model.genres()));
        root.add("notices", GSON.toJsonTree(report.notices()));
        JsonArray rows = new JsonArray();
        for (TrackResult r : report.results()) {
            JsonArray row = new JsonArray();
            row.add(r.file().toString());
            row.add(r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            row.add(GSON.toJsonTree(r.genreBefore()));
            row.add(GSON.toJsonTree(r.genreAfter()));
            JsonArray top = new JsonArray();
            for (GenreScore g : r.top()) {
                JsonArray t = new JsonArray();
                t.add(g.genre());
                t.add(Math.round(g.probability() * 1000) / 1000.0);
                top.add(t);
            }
            row.add(top);
            row.add(r.album());
            row.add(r.trackTop() == null ? "" : r.trackTop().genre());
            row.add(r.message());
            row.add(timeline(r.timeline()));
            JsonArray starts = new JsonArray();
            r.timeline().forEach(w -> starts.add(Math.round(w.startSeconds())));
            row.add(starts);
            rows.add(row);
        }
        root.add("tracks", rows);
        return root;
    }

    private static String timeline(List<WindowPrediction> windows) {
        StringBuilder sb = new StringBuilder(windows.size() * 2);
        for (WindowPrediction w : windows) {
            List<Double> p = w.probabilities();
            int best = 0;
            for (int k = 1; k < p.size(); k++) {
                if (p.get(k) > p.get(best)) {
                    best = k;
                }
            }
            sb.append((char) ('a' + best)).append((char) ('0' + Math.min(9, (int) (p.get(best) * 10))));
        }
        return sb.toString();
    }
}
