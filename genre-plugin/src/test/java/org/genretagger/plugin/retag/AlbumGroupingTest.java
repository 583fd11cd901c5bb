package org.genretagger.plugin.retag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.genretagger.plugin.tags.GenreTags.TrackTags;
import org.junit.jupiter.api.Test;

/** Which tracks --by album treats as one album, from their tags and folders. */
class AlbumGroupingTest {
    private final Map<Path, TrackTags> tags = new LinkedHashMap<>();

    private void track(String path, String artist, String albumArtist, String album, boolean compilation) {
        tags.put(Path.of("/music", path), new TrackTags(List.of(), artist, albumArtist, album, compilation));
    }

    /** @return each album as the set of its tracks' file names, by album name */
    private Map<String, Set<String>> albums() {
        return AlbumGrouping.group(tags).stream().collect(Collectors.toMap(AlbumGrouping.Album::name,
                a -> a.tracks().stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet())));
    }

    @Test
    void albumArtistElseArtistAndAlbumTagsMakeAnAlbumAcrossFoldersAndCase() {
        track("a/flac/01.flac", "Miles Davis", "", "Kind of Blue", false);
        track("a/mp3/01.mp3", "miles davis ", "", "kind of blue", false); // same album as MP3 in another folder
        track("a/flac/02.flac", "Miles Davis", "", "Kind of Blue", false);
        // A guest artist's track still belongs to the album through its album artist.
        track("b/01.flac", "Band", "Band", "Live", false);
        track("b/02.flac", "Band feat. Guest", "Band", "Live", false);
        // Same title, another artist: another album; alone in it, a single.
        track("c/01.flac", "Other", "", "Live", false);
        assertEquals(Map.of("Miles Davis - Kind of Blue", Set.of("01.flac", "01.mp3", "02.flac"),
                "Band - Live", Set.of("01.flac", "02.flac")), albums());
    }

    @Test
    void compilationsAreAlbumsWhateverTheTrackArtists() {
        track("v/01.mp3", "A", "", "Hits 1999", true);
        track("v/02.mp3", "B", "", "Hits 1999", true);
        track("w/01.mp3", "C", "Various Artists", "Summer", false);
        track("w/02.mp3", "D", "various artists", "Summer", false);
        // Without the flag or a Various Artists album artist, differing artists do not make an album.
        track("x/01.mp3", "E", "", "Mixed", false);
        track("x/02.mp3", "F", "", "Mixed", false);
        assertEquals(Map.of("Various Artists - Hits 1999", Set.of("01.mp3", "02.mp3"),
                "Various Artists - Summer", Set.of("01.mp3", "02.mp3")), albums());
    }

    @Test
    void untitledTracksFormAFolderAlbumOnlyWhenTheyShareAnArtist() {
        track("shared/1.mp3", "Nick Drake", "", "", false);
        track("shared/2.mp3", "nick drake", "", "", false);
        track("mixed/1.mp3", "X", "", "", false);
        track("mixed/2.mp3", "Y", "", "", false);
        track("noartist/1.mp3", "", "", "", false);
        track("noartist/2.mp3", "", "", "", false);
        track("lonely/1.mp3", "Z", "", "", false); // one untitled track: a single
        assertEquals(Map.of("Nick Drake - shared (folder)", Set.of("1.mp3", "2.mp3")), albums());
    }
}
