package org.genretagger.trainer.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A folder of labelled audio in GTZAN's layout, {@code <genre>/<clip>.<ext>} (optionally under a
 * {@code genres/} folder), and the split lists that divide it by track.
 */
public final class Dataset {
    private static final Set<String> AUDIO = Set.of("au", "wav", "ogg", "oga", "mp3", "flac", "opus", "m4a", "aiff", "aif", "wma");

    private final List<String> labels;
    private final Map<String, Clip> byKey;

    private Dataset(List<String> labels, Map<String, Clip> byKey) {
        this.labels = labels;
        this.byKey = byKey;
    }

    /**
     * @param dir the data folder
     * @return every clip found, labelled by its folder
     * @throws IOException if the folder cannot be read or holds no labelled audio
     */
    public static Dataset scan(Path dir) throws IOException {
        Path root = Files.isDirectory(dir.resolve("genres")) ? dir.resolve("genres") : dir;
        Map<String, Clip> clips = new TreeMap<>();
        List<String> labels = new ArrayList<>();
        try (Stream<Path> genres = Files.list(root)) {
            for (Path g : genres.filter(Files::isDirectory).sorted().toList()) {
                String label = g.getFileName().toString();
                try (Stream<Path> files = Files.list(g)) {
                    List<Path> audio = files.filter(f -> AUDIO.contains(extension(f))).sorted().toList();
                    if (audio.isEmpty()) {
                        continue;
                    }
                    labels.add(label);
                    for (Path f : audio) {
                        Clip c = new Clip(f, label, label + "/" + stem(f.getFileName().toString()));
                        if (clips.put(c.key(), c) != null) {
                            throw new IOException(f + ": two files share the name " + c.key());
                        }
                    }
                }
            }
        }
        if (labels.size() < 2) {
            throw new IOException(root + ": expected <genre>/<clip>.<ext> folders for at least two genres");
        }
        return new Dataset(List.copyOf(labels), clips);
    }

    /** @return the genre labels, sorted */
    public List<String> labels() {
        return labels;
    }

    /** @return every clip, sorted by key */
    public List<Clip> clips() {
        return List.copyOf(byKey.values());
    }

    /**
     * The clips a split list names, matched by {@code genre/stem} whatever the extension, so lists
     * written for the original {@code .au}/{@code .wav} files work on re-encoded copies.
     *
     * @param list one clip a line, e.g. {@code blues/blues.00029.wav}; blank and # lines ignored
     * @param missingOk whether names absent from the folder are skipped (a partial dataset) rather
     *     than an error
     * @return the clips, in list order
     * @throws IOException if unreadable, or a name is missing and that is not allowed
     */
    public List<Clip> select(Path list, boolean missingOk) throws IOException {
        List<Clip> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String key = keyOf(line);
            if (key == null || !seen.add(key)) {
                continue;
            }
            Clip c = byKey.get(key);
            if (c == null) {
                missing.add(key);
            } else {
                out.add(c);
            }
        }
        if (!missing.isEmpty() && !missingOk) {
            throw new IOException(list + ": " + missing.size() + " clips not in the data folder, e.g. " + missing.get(0));
        }
        return out;
    }

    /**
     * A seeded stratified split by track.
     *
     * @param validFraction fraction of each genre's clips that go to validation
     * @param seed the seed
     * @return train and validation clips
     */
    public Split randomSplit(double validFraction, long seed) {
        Map<String, List<Clip>> byLabel = new TreeMap<>();
        for (Clip c : byKey.values()) {
            byLabel.computeIfAbsent(c.label(), k -> new ArrayList<>()).add(c);
        }
        Random rng = new Random(seed);
        List<Clip> train = new ArrayList<>();
        List<Clip> valid = new ArrayList<>();
        for (List<Clip> clips : byLabel.values()) {
            List<Clip> shuffled = new ArrayList<>(clips);
            Collections.shuffle(shuffled, rng);
            int nValid = (int) Math.max(1, Math.round(shuffled.size() * validFraction));
            valid.addAll(shuffled.subList(0, nValid));
            train.addAll(shuffled.subList(nValid, shuffled.size()));
        }
        return Split.of(train, valid);
    }

    /**
     * @param line a split-list line
     * @return its {@code genre/stem} key, or null for a blank or comment line
     */
    static String keyOf(String line) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        t = t.replace('\\', '/');
        String[] parts = t.split("/");
        if (parts.length < 2) {
            throw new IllegalArgumentException("split line '" + line + "' is not genre/clip");
        }
        return parts[parts.length - 2] + "/" + stem(parts[parts.length - 1]);
    }

    /** Drops a known audio extension only: GTZAN names carry dots ({@code blues.00029}). */
    static String stem(String name) {
        String ext = extension(Path.of(name));
        return AUDIO.contains(ext) ? name.substring(0, name.length() - ext.length() - 1) : name;
    }

    private static String extension(Path f) {
        String n = f.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * Train and validation clips, disjoint by track.
     *
     * @param train training clips
     * @param valid validation clips
     */
    public record Split(List<Clip> train, List<Clip> valid) {
        /**
         * @param train training clips
         * @param valid validation clips
         * @return the split
         * @throws IllegalArgumentException if a track is in both
         */
        public static Split of(List<Clip> train, List<Clip> valid) {
            Map<String, Boolean> keys = new HashMap<>();
            for (Clip c : train) {
                keys.put(c.key(), true);
            }
            for (Clip c : valid) {
                if (keys.containsKey(c.key())) {
                    throw new IllegalArgumentException("clip " + c.key() + " is in both the training and validation split");
                }
            }
            return new Split(List.copyOf(train), List.copyOf(valid));
        }
    }
}
