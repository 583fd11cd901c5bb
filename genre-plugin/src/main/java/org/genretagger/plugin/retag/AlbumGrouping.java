package org.genretagger.plugin.retag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.genretagger.plugin.tags.GenreTags.TrackTags;

/**
 * Which tracks form an album, from their tags (the rules of {@link org.genretagger.api.Grouping#ALBUM}).
 * Tags are compared ignoring case and surrounding blanks, so the same album in several formats or
 * folders is one album.
 */
final class AlbumGrouping {
    /** Album artists that mean a compilation, as taggers and MusicBrainz write them. */
    private static final Set<String> VARIOUS = Set.of("various artists", "various", "va");

    private AlbumGrouping() {}

    /**
     * An album of at least two tracks.
     *
     * @param name how the report names it: {@code artist - album}, or the folder
     * @param tracks its tracks, in scan order
     */
    record Album(String name, List<Path> tracks) {}

    /**
     * @param tags each track's tags, in scan order; tracks whose tags could not be read are left out
     * @return the albums of two or more tracks; a track in none is judged on its own
     */
    static List<Album> group(Map<Path, TrackTags> tags) {
        Map<String, Album> byTags = new LinkedHashMap<>();
        Map<Path, List<Path>> untitledByFolder = new LinkedHashMap<>();
        for (Map.Entry<Path, TrackTags> e : tags.entrySet()) {
            TrackTags t = e.getValue();
            if (t.album().isBlank()) {
                untitledByFolder.computeIfAbsent(e.getKey().toAbsolutePath().getParent(), k -> new ArrayList<>()).add(e.getKey());
                continue;
            }
            String artist = !t.albumArtist().isBlank() ? t.albumArtist() : t.artist();
            boolean compilation = t.compilation() || VARIOUS.contains(norm(t.albumArtist()));
            // A compilation's tracks each name their own artist: the album title alone holds them together.
            String who = compilation ? "Various Artists" : artist.trim();
            String key = (compilation ? "" : norm(who)) + "\u0000" + norm(t.album());
            byTags.computeIfAbsent(key, k -> new Album(who.isEmpty() ? t.album().trim() : who + " - " + t.album().trim(),
                    new ArrayList<>())).tracks().add(e.getKey());
        }
        List<Album> albums = new ArrayList<>();
        for (Album a : byTags.values()) {
            if (a.tracks().size() > 1) {
                albums.add(a);
            }
        }
        // Untitled tracks: a folder is an album only when all of them name one artist.
        for (Map.Entry<Path, List<Path>> e : untitledByFolder.entrySet()) {
            List<Path> tracks = e.getValue();
            String artist = norm(tags.get(tracks.get(0)).artist());
            boolean shared = !artist.isEmpty() && tracks.stream().allMatch(p -> norm(tags.get(p).artist()).equals(artist));
            if (shared && tracks.size() > 1) {
                Path folder = e.getKey().getFileName();
                albums.add(new Album(tags.get(tracks.get(0)).artist().trim() + " - " + (folder == null ? e.getKey() : folder)
                        + " (folder)", tracks));
            }
        }
        return albums;
    }

    private static String norm(String s) {
        return s.trim().toLowerCase(Locale.ROOT);
    }
}
