package org.genretagger.plugin.plan;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.genretagger.api.GenreScore;
import org.genretagger.api.Outcome;
import org.genretagger.api.RetagReport;
import org.genretagger.api.TagPolicy;
import org.genretagger.api.TrackResult;
import org.genretagger.plugin.tags.GenreTags;

/**
 * A plan: every change a dry run would make, in a file the user can edit (delete rows, change
 * the genre to write) and then apply exactly. CSV (one header row, then one row per track; a first
 * comment line records the library root) or JSON ({@code {"root": ..., "changes": [...]}}), with
 * the same fields: {@code path, size, mtime, genre_before, genre_after, confidence, album, reason}.
 * Several genres in one CSV cell are joined by {@code ;}. A plan made for some genres only records
 * them (a second CSV comment line {@code genres: A; B}, or a JSON {@code "genres"} list), and
 * applying it writes no other. Reading checks the whole plan and refuses it, naming the line, before
 * anything is written.
 */
public final class RetagPlan {
    /** The columns, in the order they are written. */
    public static final List<String> COLUMNS = List.of("path", "size", "mtime", "genre_before", "genre_after", "confidence",
            "album", "reason");
    /** The columns a row cannot do without: which file, how it looked, what to write. */
    private static final List<String> REQUIRED = List.of("path", "size", "mtime", "genre_after");
    private static final String JOIN = "; ";
    private static final Pattern ROOT = Pattern.compile("root: (.+)$", Pattern.MULTILINE);
    private static final Pattern GENRES = Pattern.compile("^genres: (.+)$", Pattern.MULTILINE);
    private static final Pattern JSON_LINE = Pattern.compile("line (\\d+)");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * One change to make.
     *
     * @param line where the row starts in the plan file (1-based)
     * @param file the track
     * @param size its size when planned
     * @param mtime its modification time when planned
     * @param before the genres it had when planned (informative)
     * @param after the genres to write
     * @param confidence the model's confidence, or null if the user left it empty
     * @param album its album tag when planned (informative)
     * @param reason why (informative)
     */
    public record Row(int line, Path file, long size, Instant mtime, List<String> before, List<String> after, Double confidence,
            String album, String reason) {}

    /**
     * @param root the library root the plan was made for, or null if the file does not say
     * @param rows the changes, in file order
     * @param genres the names of the genres the plan was made for, the only ones it may write;
     *     empty for any
     */
    public record Plan(Path root, List<Row> rows, List<String> genres) {
        /** Copies the genres. */
        public Plan {
            genres = List.copyOf(genres);
        }
    }

    private RetagPlan() {}

    /**
     * @param plan a plan file name
     * @return whether it is JSON (else CSV)
     * @throws IllegalArgumentException if it is neither
     */
    public static boolean isJson(Path plan) {
        String n = String.valueOf(plan.getFileName()).toLowerCase(Locale.ROOT);
        if (n.endsWith(".json")) {
            return true;
        }
        if (n.endsWith(".csv")) {
            return false;
        }
        throw new IllegalArgumentException("a plan must end in .csv or .json: " + plan);
    }

    /**
     * Writes the plan of a dry run: one row per track it would tag, with the file's size and
     * modification time read now.
     *
     * @param plan the file to write (.csv or .json)
     * @param root the library root
     * @param policy the run's policy, for the reason column
     * @param report the dry run's report
     * @return how many rows were written
     * @throws IOException if it cannot be written
     */
    public static int write(Path plan, Path root, TagPolicy policy, RetagReport report) throws IOException {
        return write(plan, root, policy, report, List.of());
    }

    /**
     * Like {@link #write(Path, Path, TagPolicy, RetagReport)}, recording the genres the run was
     * narrowed to.
     *
     * @param plan the file to write (.csv or .json)
     * @param root the library root
     * @param policy the run's policy, for the reason column
     * @param report the dry run's report
     * @param genres the names of the only genres the plan may write; empty for any
     * @return how many rows were written
     * @throws IOException if it cannot be written
     */
    public static int write(Path plan, Path root, TagPolicy policy, RetagReport report, List<String> genres) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TrackResult r : report.results()) {
            if (r.outcome() != Outcome.WOULD_TAG) {
                continue;
            }
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(r.file(), BasicFileAttributes.class);
            } catch (IOException e) {
                continue; // gone since it was classified: nothing to plan
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("path", r.file().toAbsolutePath().normalize().toString());
            row.put("size", a.size());
            row.put("mtime", a.lastModifiedTime().toInstant().toString());
            row.put("genre_before", r.genreBefore());
            row.put("genre_after", r.genreAfter());
            row.put("confidence", r.top().isEmpty() ? null : r.top().get(0).probability());
            row.put("album", album(r.file()));
            row.put("reason", reason(r, policy));
            rows.add(row);
        }
        Path absRoot = root.toAbsolutePath().normalize();
        Path parent = plan.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (isJson(plan)) {
            JsonObject o = new JsonObject();
            o.addProperty("root", absRoot.toString());
            if (!genres.isEmpty()) {
                JsonArray g = new JsonArray();
                genres.forEach(g::add);
                o.add("genres", g);
            }
            JsonArray changes = new JsonArray();
            for (Map<String, Object> row : rows) {
                changes.add(GSON.toJsonTree(row));
            }
            o.add("changes", changes);
            Files.writeString(plan, GSON.toJson(o) + "\n", StandardCharsets.UTF_8);
        } else {
            CSVFormat f = CSVFormat.DEFAULT.builder().setHeader(COLUMNS.toArray(String[]::new)).setCommentMarker('#')
                    .setHeaderComments(genres.isEmpty() ? new String[] {"genre-tagger plan; root: " + absRoot}
                            : new String[] {"genre-tagger plan; root: " + absRoot, "genres: " + String.join(JOIN, genres)}).setRecordSeparator('\n').get();
            try (Writer w = Files.newBufferedWriter(plan, StandardCharsets.UTF_8); CSVPrinter p = new CSVPrinter(w, f)) {
                for (Map<String, Object> row : rows) {
                    List<String> cells = new ArrayList<>();
                    for (String c : COLUMNS) {
                        Object v = row.get(c);
                        cells.add(v == null ? "" : v instanceof List<?> l ? String.join(JOIN, l.stream().map(String::valueOf).toList())
                                : v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v.toString());
                    }
                    p.printRecord(cells);
                }
            }
        }
        return rows.size();
    }

    private static String reason(TrackResult r, TagPolicy policy) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.genreBefore().isEmpty() ? "no genre yet" : switch (policy) {
            case REPLACE -> "replaces " + String.join(JOIN, r.genreBefore()) + " (policy replace)";
            case MERGE -> "added beside " + String.join(JOIN, r.genreBefore()) + " (policy merge)";
            case FILL_EMPTY -> "policy fill-empty";
        });
        List<GenreScore> top = r.top();
        for (int i = 0; i < top.size(); i++) {
            sb.append(i == 0 ? "; model: " : ", ").append(top.get(i).genre())
                    .append(String.format(Locale.ROOT, " %.2f", top.get(i).probability()));
        }
        return sb.toString();
    }

    /** The album tag, for the reader of the plan; empty where there is none or it cannot be read. */
    private static String album(Path file) {
        try {
            return GenreTags.readTrackTags(file).album();
        } catch (Exception | LinkageError e) {
            return ""; // damaged tags: the column is informative only
        }
    }

    /**
     * Reads and checks a whole plan.
     *
     * @param plan the plan file
     * @return its root and rows
     * @throws IllegalArgumentException naming the file and line if it is malformed
     * @throws IOException if it cannot be read at all
     */
    public static Plan read(Path plan) throws IOException {
        return isJson(plan) ? readJson(plan) : readCsv(plan);
    }

    private static Plan readCsv(Path plan) throws IOException {
        CSVFormat f = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setCommentMarker('#')
                .setIgnoreSurroundingSpaces(true).get();
        List<Row> rows = new ArrayList<>();
        Map<Path, Integer> seen = new HashMap<>();
        try (Reader in = Files.newBufferedReader(plan, StandardCharsets.UTF_8)) {
            in.mark(1);
            if (in.read() != '\uFEFF') { // a spreadsheet's byte-order mark
                in.reset();
            }
            CSVParser parser;
            try {
                parser = CSVParser.parse(in, f);
            } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
                throw malformed(plan, 1, "cannot read the header row (" + oneLine(e.getMessage()) + ")");
            }
            try (parser) {
                List<String> header = parser.getHeaderNames();
                int headerLine = (int) Math.max(1, parser.getCurrentLineNumber());
                for (String h : header) {
                    if (!COLUMNS.contains(h)) {
                        throw malformed(plan, headerLine, "unknown column '" + h + "' (columns: " + String.join(", ", COLUMNS) + ")");
                    }
                }
                for (String r : REQUIRED) {
                    if (!header.contains(r)) {
                        throw malformed(plan, headerLine, "the column '" + r + "' is missing (needed: " + String.join(", ", REQUIRED) + ")");
                    }
                }
                Path root = rootOf(parser.getHeaderComment());
                List<String> chosen = genresOf(parser.getHeaderComment());
                Iterator<CSVRecord> it = parser.iterator();
                while (true) {
                    int line = (int) parser.getCurrentLineNumber() + 1;
                    CSVRecord rec;
                    try {
                        if (!it.hasNext()) {
                            break;
                        }
                        rec = it.next();
                    } catch (UncheckedIOException | IllegalStateException e) {
                        throw malformed(plan, line, "cannot be read (" + oneLine(e.getMessage()) + ")");
                    }
                    if (!rec.isConsistent()) {
                        throw malformed(plan, line, "has " + rec.size() + " fields where the header has " + header.size());
                    }
                    Map<String, String> cells = new HashMap<>();
                    for (String h : header) {
                        cells.put(h, rec.get(h));
                    }
                    rows.add(row(plan, line, root, cells, seen));
                }
                return new Plan(root, rows, chosen);
            }
        }
    }

    private static Plan readJson(Path plan) throws IOException {
        List<Row> rows = new ArrayList<>();
        Map<Path, Integer> seen = new HashMap<>();
        Path root = null;
        List<String> chosen = List.of();
        boolean sawChanges = false;
        try (JsonReader in = new JsonReader(Files.newBufferedReader(plan, StandardCharsets.UTF_8))) {
            try {
                in.beginObject();
                while (in.hasNext()) {
                    String name = in.nextName();
                    if (name.equals("root")) {
                        root = in.peek() == JsonToken.NULL ? null : Path.of(nextString(in));
                    } else if (name.equals("genres")) {
                        List<String> values = new ArrayList<>();
                        if (in.peek() == JsonToken.NULL) {
                            in.nextNull();
                        } else {
                            in.beginArray();
                            while (in.hasNext()) {
                                values.add(nextString(in).strip());
                            }
                            in.endArray();
                        }
                        chosen = values.stream().filter(v -> !v.isEmpty()).toList();
                    } else if (name.equals("changes")) {
                        sawChanges = true;
                        in.beginArray();
                        while (in.hasNext()) {
                            int line = lineOf(in);
                            Map<String, String> cells = new HashMap<>();
                            in.beginObject();
                            while (in.hasNext()) {
                                String key = in.nextName();
                                if (!COLUMNS.contains(key)) {
                                    throw malformed(plan, lineOf(in), "unknown field '" + key + "' (fields: " + String.join(", ", COLUMNS) + ")");
                                }
                                if (in.peek() == JsonToken.BEGIN_ARRAY) {
                                    List<String> values = new ArrayList<>();
                                    in.beginArray();
                                    while (in.hasNext()) {
                                        values.add(nextString(in));
                                    }
                                    in.endArray();
                                    cells.put(key, String.join(JOIN, values));
                                } else if (in.peek() == JsonToken.NULL) {
                                    in.nextNull();
                                    cells.put(key, "");
                                } else {
                                    cells.put(key, nextString(in));
                                }
                            }
                            in.endObject();
                            for (String r : REQUIRED) {
                                if (!cells.containsKey(r)) {
                                    throw malformed(plan, line, "the field '" + r + "' is missing (needed: " + String.join(", ", REQUIRED) + ")");
                                }
                            }
                            rows.add(row(plan, line, root, cells, seen));
                        }
                        in.endArray();
                    } else {
                        in.skipValue();
                    }
                }
                in.endObject();
            } catch (IOException | IllegalStateException | NumberFormatException e) {
                // Gson's own messages name the line and column.
                throw new IllegalArgumentException(plan + ": malformed plan, " + oneLine(e.getMessage()) + "; nothing written");
            }
        }
        if (!sawChanges) {
            throw malformed(plan, 1, "no \"changes\" list");
        }
        return new Plan(root, rows, chosen);
    }

    /** A string, number or boolean as text (a spreadsheet-minded user may write 0.8 or "0.8"). */
    private static String nextString(JsonReader in) throws IOException {
        return in.peek() == JsonToken.BOOLEAN ? Boolean.toString(in.nextBoolean()) : in.nextString();
    }

    private static int lineOf(JsonReader in) {
        Matcher m = JSON_LINE.matcher(in.toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Row row(Path plan, int line, Path root, Map<String, String> cells, Map<Path, Integer> seen) {
        String path = cells.getOrDefault("path", "").strip();
        if (path.isEmpty()) {
            throw malformed(plan, line, "the path is empty");
        }
        Path file = Path.of(path);
        if (!file.isAbsolute()) {
            file = (root != null ? root : plan.toAbsolutePath().getParent()).resolve(file);
        }
        file = file.toAbsolutePath().normalize();
        Integer earlier = seen.putIfAbsent(file, line);
        if (earlier != null) {
            throw malformed(plan, line, path + " is already planned on line " + earlier);
        }
        long size;
        try {
            size = Long.parseLong(cells.get("size").strip());
        } catch (NumberFormatException e) {
            throw malformed(plan, line, "size '" + cells.get("size") + "' is not a whole number of bytes");
        }
        if (size < 0) {
            throw malformed(plan, line, "size " + size + " is negative");
        }
        Instant mtime;
        try {
            mtime = Instant.parse(cells.get("mtime").strip());
        } catch (DateTimeParseException e) {
            throw malformed(plan, line, "mtime '" + cells.get("mtime") + "' is not a time like 2026-11-30T23:50:01.123Z");
        }
        List<String> after = genres(cells.get("genre_after"));
        if (after.isEmpty()) {
            throw malformed(plan, line, "no genre to write (delete the row to leave the file alone)");
        }
        Double confidence = null;
        String c = cells.getOrDefault("confidence", "").strip();
        if (!c.isEmpty()) {
            try {
                confidence = Double.parseDouble(c);
            } catch (NumberFormatException e) {
                throw malformed(plan, line, "confidence '" + c + "' is not a number");
            }
        }
        return new Row(line, file, size, mtime, genres(cells.get("genre_before")), after, confidence,
                cells.getOrDefault("album", ""), cells.getOrDefault("reason", ""));
    }

    private static List<String> genres(String cell) {
        if (cell == null) {
            return List.of();
        }
        return Arrays.stream(cell.split(";")).map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    private static Path rootOf(String headerComment) {
        if (headerComment == null) {
            return null;
        }
        Matcher m = ROOT.matcher(headerComment);
        return m.find() ? Path.of(m.group(1).strip()) : null;
    }

    private static List<String> genresOf(String headerComment) {
        if (headerComment == null) {
            return List.of();
        }
        Matcher m = GENRES.matcher(headerComment);
        return m.find() ? genres(m.group(1)) : List.of();
    }

    static IllegalArgumentException malformed(Path plan, int line, String what) {
        return new IllegalArgumentException(plan + " line " + line + ": " + what + "; the plan was refused and nothing written");
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").strip();
    }
}
