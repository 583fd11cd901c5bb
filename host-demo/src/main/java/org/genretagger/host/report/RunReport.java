package org.genretagger.host.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genretagger.api.GenreScore;
import org.genretagger.api.ModelInfo;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.TrackResult;

/** The closing summary of a run, and its per-track report as JSON or CSV. */
public final class RunReport {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private RunReport() {}

    public static void printSummary(RetagReport report, PrintWriter out) {
        Map<Outcome, Integer> counts = report.counts();
        double seconds = report.elapsed().toMillis() / 1000.0;
        out.println();
        out.println("outcome         tracks");
        out.println("--------------  ------");
        for (Outcome o : Outcome.values()) {
            if (counts.containsKey(o)) {
                out.printf(Locale.ROOT, "%-14s  %6d%n", o.name().toLowerCase(Locale.ROOT).replace('_', ' '), counts.get(o));
            }
        }
        out.println("--------------  ------");
        out.printf(Locale.ROOT, "%-14s  %6d   in %.1f s (%.2f tracks/s)%n", "total", report.results().size(), seconds,
                seconds > 0 ? report.results().size() / seconds : 0.0);
        for (TrackResult r : report.results()) {
            if (r.outcome() == Outcome.FAILED) {
                out.println("failed: " + r.message());
            }
        }
        for (String n : report.notices()) {
            out.println("note: " + n);
        }
    }

    public static void write(RetagReport report, Path file, ModelInfo model) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            writeCsv(report.results(), file);
        } else if (name.endsWith(".json")) {
            writeJson(report, file);
        } else if (name.endsWith(".html")) {
            HtmlReport.write(report, model, file);
        } else {
            throw new IllegalArgumentException("--report must end in .json, .csv or .html: " + file);
        }
    }

    private static void writeJson(RetagReport report, Path file) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("journal", report.journal() == null ? null : report.journal().toString());
        root.addProperty("minConfidence", report.minConfidence());
        root.addProperty("seconds", report.elapsed().toMillis() / 1000.0);
        JsonArray rows = new JsonArray();
        for (TrackResult r : report.results()) {
            JsonObject o = new JsonObject();
            o.addProperty("path", r.file().toString());
            o.addProperty("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
            o.add("genreBefore", GSON.toJsonTree(r.genreBefore()));
            o.add("genreAfter", GSON.toJsonTree(r.genreAfter()));
            JsonArray top = new JsonArray();
            for (GenreScore g : r.top()) {
                JsonObject t = new JsonObject();
                t.addProperty("genre", g.genre());
                t.addProperty("probability", g.probability());
                top.add(t);
            }
            o.add("top", top);
            o.addProperty("album", r.album());
            o.addProperty("trackGenre", r.trackTop() == null ? null : r.trackTop().genre());
            o.addProperty("message", r.message());
            rows.add(o);
        }
        root.add("tracks", rows);
        root.add("notices", GSON.toJsonTree(report.notices()));
        Files.writeString(file, GSON.toJson(root), StandardCharsets.UTF_8);
    }

    private static void writeCsv(List<TrackResult> results, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("path,outcome,genre_before,genre_after,top1,p1,top2,p2,top3,p3,message,album,track_genre\n");
            for (TrackResult r : results) {
                StringBuilder sb = new StringBuilder();
                sb.append(csv(r.file().toString())).append(',').append(r.outcome().name().toLowerCase(Locale.ROOT)).append(',')
                        .append(csv(String.join("; ", r.genreBefore()))).append(',').append(csv(String.join("; ", r.genreAfter())));
                for (int i = 0; i < 3; i++) {
                    if (i < r.top().size()) {
                        sb.append(',').append(csv(r.top().get(i).genre())).append(',')
                                .append(String.format(Locale.ROOT, "%.4f", r.top().get(i).probability()));
                    } else {
                        sb.append(",,");
                    }
                }
                sb.append(',').append(csv(r.message())).append(',').append(csv(r.album())).append(',')
                        .append(csv(r.trackTop() == null ? "" : r.trackTop().genre())).append('\n');
                w.write(sb.toString());
            }
        }
    }

    private static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
