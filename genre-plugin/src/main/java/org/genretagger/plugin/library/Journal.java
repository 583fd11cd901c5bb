package org.genretagger.plugin.library;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of what a run changed, one JSON object a line, each forced to disk before the file
 * it describes is replaced. Lines: {@code run} (kind, root, time; one per run appending to the
 * file), {@code change} (the file's real path, genres before and after, SHA-256 of the file
 * before and after, the ID3v2 version before and after: 2, 3, 4, or 0 for none; the modification
 * time before) and {@code done}
 * (file, outcome), so that undo can restore and resume can skip. Appends are serialised; a line
 * torn by a crash (the last line, or the line before a later run's {@code run} line) is ignored on
 * reading. A change line is written before the replace it describes, so a crash between the two
 * leaves a change line for a file that is still exactly as before: readers compare the file's
 * digest with {@code sha256Before} and {@code sha256After} to know which state it is in.
 */
public final class Journal implements AutoCloseable {
    private static final Gson GSON = new Gson();

    /**
     * A recorded change.
     *
     * @param file the file
     * @param before its genre values before
     * @param after its genre values after
     * @param sha256Before the file's digest before
     * @param sha256After the file's digest after
     * @param id3Before the ID3v2 minor version of its tag before (2, 3, 4; 0 for none or not ID3)
     * @param id3After the ID3v2 minor version after
     * @param mtimeBefore its modification time before, or null if not recorded
     */
    public record Change(Path file, List<String> before, List<String> after, String sha256Before, String sha256After,
            int id3Before, int id3After, FileTime mtimeBefore) {}

    /**
     * What a journal holds.
     *
     * @param changes every change, in order
     * @param done every file that reached an outcome, in order
     */
    public record Contents(List<Change> changes, List<Path> done) {}

    private final Path path;
    private final FileChannel channel;

    private Journal(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * @param path the journal file, appended to (created with its folders if missing)
     * @param kind what the run is, e.g. {@code retag} or {@code undo}
     * @param root what it works on
     * @return the open journal
     * @throws IOException if it cannot be created
     */
    public static Journal open(Path path, String kind, Path root) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        boolean torn = false;
        if (Files.isRegularFile(path) && Files.size(path) > 0) {
            try (FileChannel r = FileChannel.open(path, StandardOpenOption.READ)) {
                ByteBuffer last = ByteBuffer.allocate(1);
                r.read(last, r.size() - 1);
                torn = last.get(0) != '\n';
            }
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (torn) {
            // A crash tore the last line: end it, so this run's lines start on their own.
            try {
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        }
        Journal j = new Journal(path, ch);
        JsonObject o = new JsonObject();
        o.addProperty("type", "run");
        o.addProperty("kind", kind);
        o.addProperty("root", root.toString());
        o.addProperty("time", Instant.now().toString());
        try {
            j.append(o);
        } catch (IOException e) {
            ch.close();
            throw new IOException(path + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
        return j;
    }

    /**
     * A fresh journal path in the user's data folder ({@code $XDG_DATA_HOME/genre-tagger/journals},
     * by default {@code ~/.local/share/...}), never in the music folder.
     *
     * @param kind {@code retag} or {@code undo}
     * @return the path, not yet created
     */
    public static Path defaultPath(String kind) {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneId.systemDefault()).format(Instant.now());
        return base.resolve("genre-tagger").resolve("journals").resolve(kind + "-" + stamp + ".jsonl");
    }

    /** @return where this journal is */
    public Path path() {
        return path;
    }

    /**
     * Records a change and forces it to disk; call before replacing the file.
     *
     * @param c the change
     * @throws IOException if it cannot be written
     */
    public void change(Change c) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("type", "change");
        o.addProperty("file", c.file().toString());
        o.add("before", GSON.toJsonTree(c.before()));
        o.add("after", GSON.toJsonTree(c.after()));
        o.addProperty("sha256Before", c.sha256Before());
        o.addProperty("sha256After", c.sha256After());
        o.addProperty("id3Before", c.id3Before());
        o.addProperty("id3After", c.id3After());
        if (c.mtimeBefore() != null) {
            o.addProperty("mtimeBefore", c.mtimeBefore().toInstant().toString());
        }
        o.addProperty("time", Instant.now().toString());
        append(o);
    }

    /**
     * Records that a file reached its outcome, so a resumed run skips it.
     *
     * @param file the file
     * @param outcome its outcome
     * @throws IOException if it cannot be written
     */
    public void done(Path file, String outcome) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty("type", "done");
        o.addProperty("file", file.toString());
        o.addProperty("outcome", outcome);
        append(o);
    }

    private synchronized void append(JsonObject o) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((GSON.toJson(o) + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    /**
     * @param path a journal
     * @return its changes and finished files; a torn last line is skipped
     * @throws IOException if it cannot be read or is not a journal
     */
    public static Contents read(Path path) throws IOException {
        List<Change> changes = new ArrayList<>();
        List<Path> done = new ArrayList<>();
        // Decoded leniently: a torn multi-byte character must not make the whole journal unreadable.
        List<String> lines = new String(Files.readAllBytes(path), StandardCharsets.UTF_8).lines().toList();
        boolean sawRun = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            JsonObject o;
            String type;
            try {
                o = JsonParser.parseString(line).getAsJsonObject();
                type = o.has("type") ? o.get("type").getAsString() : "";
                if (type.equals("change")) {
                    changes.add(new Change(Path.of(o.get("file").getAsString()), strings(o, "before"), strings(o, "after"),
                            o.get("sha256Before").getAsString(), o.get("sha256After").getAsString(),
                            o.has("id3Before") ? o.get("id3Before").getAsInt() : 0,
                            o.has("id3After") ? o.get("id3After").getAsInt() : 0,
                            o.has("mtimeBefore") ? FileTime.from(Instant.parse(o.get("mtimeBefore").getAsString())) : null));
                } else if (type.equals("done")) {
                    done.add(Path.of(o.get("file").getAsString()));
                } else if (type.equals("run")) {
                    sawRun = true;
                } else {
                    throw new IOException(path + ": line " + (i + 1) + " is not a journal entry");
                }
            } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
                    | java.time.format.DateTimeParseException e) {
                if (tornByCrash(lines, i)) {
                    continue;
                }
                throw new IOException(path + ": line " + (i + 1) + " is not a journal entry");
            }
        }
        if (!sawRun) {
            throw new IOException(path + ": not a genre-tagger journal");
        }
        return new Contents(changes, done);
    }

    /** A bad line is a crash's torn write if nothing but a later run's start follows it. */
    private static boolean tornByCrash(List<String> lines, int i) {
        for (int k = i + 1; k < lines.size(); k++) {
            String next = lines.get(k).trim();
            if (!next.isEmpty()) {
                return next.startsWith("{\"type\":\"run\"");
            }
        }
        return true;
    }

    private static List<String> strings(JsonObject o, String key) {
        List<String> out = new ArrayList<>();
        o.getAsJsonArray(key).forEach(e -> out.add(e.getAsString()));
        return out;
    }
}
