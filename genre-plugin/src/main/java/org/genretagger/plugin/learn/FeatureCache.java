package org.genretagger.plugin.learn;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-file features kept in the model folder ({@value #FILE}, one JSON object a line, appended as
 * each track is done), so that a rerun with other options, or after an interruption, decodes only
 * files that are new or changed. An entry counts when the file's path, size and modification time
 * and the base network's weights all match; a line torn by a crash is ignored.
 */
final class FeatureCache implements AutoCloseable {
    static final String FILE = "features.jsonl";
    private static final Gson GSON = new Gson();

    /**
     * One file's features, or the error that kept it from having any.
     *
     * @param path the absolute path
     * @param size its size in bytes
     * @param mtime its modification time, ms
     * @param base SHA-256 of the base weights the embedding came from
     * @param windows windows averaged
     * @param mean the mean window embedding; null when {@code error} is set
     * @param error why the file has no features; null when it has
     */
    record Entry(String path, long size, long mtime, String base, int windows, float[] mean, String error) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final BufferedWriter out;

    /**
     * Opens the cache, keeping only the newest valid entry per file for this base.
     *
     * @param dir the model folder
     * @param base SHA-256 of the base weights
     * @throws IOException if the folder cannot be written
     */
    FeatureCache(Path dir, String base) throws IOException {
        Path file = dir.resolve(FILE);
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    Entry e = GSON.fromJson(line, Entry.class);
                    if (e != null && e.path() != null && base.equals(e.base()) && (e.mean() != null || e.error() != null)) {
                        entries.put(e.path(), e);
                    }
                } catch (JsonParseException ex) {
                    // a line torn by a crash
                }
            }
            // Compact: drop entries of other bases and superseded ones.
            Path tmp = dir.resolve(FILE + ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (Entry e : entries.values()) {
                    w.write(GSON.toJson(e));
                    w.newLine();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * @param file a track
     * @param base SHA-256 of the base weights
     * @return its entry if the file is unchanged since it was made; else null
     */
    synchronized Entry lookup(Path file, String base) {
        Entry e = entries.get(file.toString());
        if (e == null) {
            return null;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() == e.size() && a.lastModifiedTime().toMillis() == e.mtime() && base.equals(e.base()) ? e : null;
        } catch (IOException ex) {
            return null;
        }
    }

    /**
     * Records a file's features (or its error) with its current size and modification time.
     *
     * @param file the track
     * @param base SHA-256 of the base weights
     * @param windows windows averaged
     * @param mean the mean embedding, or null
     * @param error the error, or null
     * @throws IOException if the cache cannot be written
     */
    synchronized void put(Path file, String base, int windows, float[] mean, String error) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        Entry e = new Entry(file.toString(), a.size(), a.lastModifiedTime().toMillis(), base, windows, mean, error);
        entries.put(e.path(), e);
        out.write(GSON.toJson(e));
        out.newLine();
        out.flush();
    }

    /** @return the entries, for tests */
    synchronized List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
