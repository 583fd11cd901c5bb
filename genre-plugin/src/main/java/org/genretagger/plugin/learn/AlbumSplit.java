package org.genretagger.plugin.learn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Holds whole albums out for validation, so the figures say how a model does on music it has not
 * heard: no album has tracks on both sides, and when every genre has at least two artists, no
 * artist either (an artist's albums sound alike, which would flatter the figures).
 */
final class AlbumSplit {
    /** Share of each genre's tracks held out, roughly (whole albums or artists are moved). */
    static final double HELD_OUT_SHARE = 0.25;

    /**
     * One labelled track.
     *
     * @param label the genre key it is stratified by (its first genre)
     * @param album its album key
     * @param artist its artist key
     */
    record Item(String label, String album, String artist) {}

    /**
     * @param heldOut per item, whether it is held out
     * @param byArtist whether whole artists were held out (else whole albums)
     * @param why one sentence saying which it was and why
     */
    record Result(boolean[] heldOut, boolean byArtist, String why) {}

    private AlbumSplit() {}

    /**
     * @param items the tracks
     * @param seed fixes the choice
     * @return which tracks are held out
     */
    static Result split(List<Item> items, long seed) {
        Map<String, Integer> artistsPerGenre = unitsPerGenre(items, true);
        String lacking = null;
        for (String g : labels(items)) {
            if (artistsPerGenre.getOrDefault(g, 0) < 2) {
                lacking = g;
                break;
            }
        }
        boolean byArtist = lacking == null;
        Map<String, String> unitGenre = unitGenres(items, byArtist);
        Map<String, Integer> unitSize = new HashMap<>();
        for (Item it : items) {
            unitSize.merge(unit(it, byArtist), 1, Integer::sum);
        }
        Map<String, List<String>> unitsByGenre = new TreeMap<>();
        unitGenre.forEach((u, g) -> unitsByGenre.computeIfAbsent(g, x -> new ArrayList<>()).add(u));
        Map<String, Integer> tracksPerGenre = new HashMap<>();
        for (Item it : items) {
            tracksPerGenre.merge(it.label(), 1, Integer::sum);
        }
        Random random = new Random(seed);
        Set<String> held = new HashSet<>();
        for (Map.Entry<String, List<String>> e : unitsByGenre.entrySet()) {
            List<String> units = e.getValue();
            Collections.sort(units);
            Collections.shuffle(units, random);
            double target = HELD_OUT_SHARE * tracksPerGenre.getOrDefault(e.getKey(), 0);
            int taken = 0;
            for (int i = 0; i < units.size() - 1 && (taken == 0 || taken < target); i++) {
                held.add(units.get(i));
                taken += unitSize.get(units.get(i));
            }
        }
        boolean[] out = new boolean[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = held.contains(unit(items.get(i), byArtist));
        }
        String why = byArtist ? "whole artists held out (every genre has at least two artists), so no album and no artist is on both sides"
                : "whole albums held out, so no album is on both sides; artists may be on both sides, since genre '" + lacking
                        + "' has fewer than two artists";
        return new Result(out, byArtist, why);
    }

    /** @return how many albums (or artists) each genre has, counting a unit for its most common genre */
    static Map<String, Integer> unitsPerGenre(List<Item> items, boolean byArtist) {
        Map<String, Integer> out = new HashMap<>();
        unitGenres(items, byArtist).values().forEach(g -> out.merge(g, 1, Integer::sum));
        return out;
    }

    private static Set<String> labels(List<Item> items) {
        Set<String> out = new java.util.TreeSet<>();
        items.forEach(i -> out.add(i.label()));
        return out;
    }

    private static String unit(Item it, boolean byArtist) {
        return byArtist ? it.artist() : it.album();
    }

    /** Each unit's genre: the most common label among its tracks (first in sort order on a tie). */
    private static Map<String, String> unitGenres(List<Item> items, boolean byArtist) {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (Item it : items) {
            counts.computeIfAbsent(unit(it, byArtist), x -> new TreeMap<>()).merge(it.label(), 1, Integer::sum);
        }
        Map<String, String> out = new TreeMap<>();
        counts.forEach((u, c) -> out.put(u, Collections.max(c.entrySet(), Map.Entry.comparingByValue()).getKey()));
        return out;
    }
}
