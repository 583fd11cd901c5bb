package org.genretagger.trainer.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Labelled clips that name their artist, read from a folder's {@code labels.tsv} ({@code file, genre,
 * artist, ...} with a header line, files relative to the folder), as the outside-dev set is laid
 * out. Figures on such music are reported by artist-grouped folds: a head never hears the artist
 * it is scored on.
 *
 * @param clips the clips, in file order
 * @param artist each clip's artist, by clip key
 */
public record ArtistClips(List<Clip> clips, Map<String, String> artist) {

    /**
     * @param dir a folder with {@code labels.tsv}
     * @return its clips
     * @throws IOException if the list is unreadable or names a missing file
     */
    public static ArtistClips read(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("labels.tsv"), StandardCharsets.UTF_8);
        List<Clip> clips = new ArrayList<>();
        Map<String, String> artist = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 3) {
                throw new IOException(dir.resolve("labels.tsv") + ": expected file, genre, artist in: " + line);
            }
            Path file = dir.resolve(f[0]);
            if (!Files.isRegularFile(file)) {
                throw new IOException(dir.resolve("labels.tsv") + ": " + f[0] + " is missing");
            }
            String name = file.getFileName().toString();
            Clip c = new Clip(file, f[1], f[1] + "/outside-" + name.substring(0, name.lastIndexOf('.')));
            clips.add(c);
            artist.put(c.key(), f[2]);
        }
        return new ArtistClips(List.copyOf(clips), Map.copyOf(artist));
    }

    /**
     * Deals whole artists into folds of about equal size: artists in a seeded random order, each to
     * the fold with the fewest clips so far.
     *
     * @param folds how many
     * @param seed decides the order
     * @return the fold of each clip, parallel to {@link #clips()}
     */
    public int[] artistFolds(int folds, long seed) {
        Map<String, List<Integer>> byArtist = new TreeMap<>();
        for (int i = 0; i < clips.size(); i++) {
            byArtist.computeIfAbsent(artist.get(clips.get(i).key()), a -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> groups = new ArrayList<>(byArtist.values());
        java.util.Collections.shuffle(groups, new Random(seed));
        // Largest groups first keeps the folds even.
        groups.sort((a, b) -> b.size() - a.size());
        int[] size = new int[folds];
        int[] fold = new int[clips.size()];
        for (List<Integer> g : groups) {
            int f = 0;
            for (int k = 1; k < folds; k++) {
                if (size[k] < size[f]) {
                    f = k;
                }
            }
            for (int i : g) {
                fold[i] = f;
            }
            size[f] += g.size();
        }
        return fold;
    }
}
