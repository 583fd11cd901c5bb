package org.genretagger.plugin.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How tag strings become genres, and how albums are held out. */
class LabelsAndSplitTest {

    @Test
    void spellingsOfOneGenreMergeAndTheMostCommonFormIsWritten() {
        GenreLabels labels = new GenreLabels(Map.of("Alt Rock", "rock", "Alternative", "alt-rock"));
        List<String> keys = new ArrayList<>();
        for (String raw : List.of("Hip Hop", "hip-hop", "HipHop", "Hip Hop", "hip_hop", "Rock", "ROCK", "Rock", "alt rock", "Alternative",
                "R&B", "Drum & Bass", "drum&bass")) {
            keys.add(labels.label(raw));
        }
        assertEquals(List.of("hiphop", "hiphop", "hiphop", "hiphop", "hiphop", "rock", "rock", "rock", "rock", "rock", "r&b",
                "drum&bass", "drum&bass"), keys);
        assertEquals("Hip Hop", labels.writtenName("hiphop"));
        assertEquals("Rock", labels.writtenName("rock"), "aliases (even chained) do not vote on the name");
        assertEquals("", labels.label("  - / "));
        assertThrows(IllegalArgumentException.class, () -> new GenreLabels(Map.of("a", "b", "B", "a")));
    }

    private static List<AlbumSplit.Item> library(int genres, int artistsPerGenre, int albumsPerArtist, int tracksPerAlbum) {
        List<AlbumSplit.Item> items = new ArrayList<>();
        for (int g = 0; g < genres; g++) {
            for (int a = 0; a < artistsPerGenre; a++) {
                for (int b = 0; b < albumsPerArtist; b++) {
                    for (int t = 0; t < tracksPerAlbum; t++) {
                        items.add(new AlbumSplit.Item("g" + g, "album " + g + "/" + a + "/" + b, "artist " + g + "/" + a));
                    }
                }
            }
        }
        return items;
    }

    private static void assertWhole(List<AlbumSplit.Item> items, boolean[] held, boolean byArtist) {
        Map<String, Boolean> albumSide = new HashMap<>();
        Map<String, Boolean> artistSide = new HashMap<>();
        Map<String, int[]> perGenre = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            AlbumSplit.Item it = items.get(i);
            assertEquals(albumSide.computeIfAbsent(it.album(), k -> held[idx(items, it)]), held[i], "album " + it.album() + " split");
            if (byArtist) {
                assertEquals(artistSide.computeIfAbsent(it.artist(), k -> held[idx(items, it)]), held[i], "artist " + it.artist() + " split");
            }
            perGenre.computeIfAbsent(it.label(), k -> new int[2])[held[i] ? 1 : 0]++;
        }
        perGenre.forEach((g, c) -> assertTrue(c[0] > 0 && c[1] > 0, g + ": " + c[0] + " trained, " + c[1] + " held out"));
    }

    private static int idx(List<AlbumSplit.Item> items, AlbumSplit.Item it) {
        return items.indexOf(it);
    }

    @Test
    void wholeArtistsAreHeldOutWhenEveryGenreHasSeveral() {
        List<AlbumSplit.Item> items = library(3, 4, 2, 5);
        AlbumSplit.Result r = AlbumSplit.split(items, 1);
        assertTrue(r.byArtist());
        assertWhole(items, r.heldOut(), true);
        int held = 0;
        for (boolean h : r.heldOut()) {
            held += h ? 1 : 0;
        }
        assertTrue(held >= 0.2 * items.size() && held <= 0.4 * items.size(), held + " of " + items.size());
    }

    @Test
    void wholeAlbumsAreHeldOutWhenAGenreHasOneArtist() {
        List<AlbumSplit.Item> items = new ArrayList<>(library(2, 3, 2, 4));
        for (int b = 0; b < 4; b++) {
            for (int t = 0; t < 4; t++) {
                items.add(new AlbumSplit.Item("solo", "solo album " + b, "the one artist"));
            }
        }
        AlbumSplit.Result r = AlbumSplit.split(items, 1);
        assertFalse(r.byArtist());
        assertTrue(r.why().contains("'solo' has fewer than two artists"), r.why());
        assertWhole(items, r.heldOut(), false);
    }
}
