package org.genretagger.plugin.learn;

import java.nio.file.Path;
import java.util.List;
import org.genretagger.plugin.tags.GenreTags;
import org.genretagger.plugin.tags.TagAccessException;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;

/**
 * The tags learning needs from a track: its genres (the label) and what groups it into an album.
 *
 * @param genres the genre values, as {@link GenreTags#readGenres} reads them
 * @param albumArtist the album artist, empty if none
 * @param artist the track artist, empty if none
 * @param album the album title, empty if none
 */
record TrackTags(List<String> genres, String albumArtist, String artist, String album) {

    /**
     * @param file a track
     * @return its tags; album fields empty where the format's tags cannot be read for them (Opus)
     * @throws TagAccessException if its genres cannot be read
     */
    static TrackTags read(Path file) throws TagAccessException {
        List<String> genres = GenreTags.readGenres(file); // also sets Jaudiotagger's options
        String albumArtist = "";
        String artist = "";
        String album = "";
        try {
            Tag tag = AudioFileIO.read(file.toFile()).getTag();
            if (tag != null) {
                albumArtist = first(tag, FieldKey.ALBUM_ARTIST);
                artist = first(tag, FieldKey.ARTIST);
                album = first(tag, FieldKey.ALBUM);
            }
        } catch (Exception | LinkageError e) {
            // Genres were readable; without album tags the folder groups the track.
        }
        return new TrackTags(genres, albumArtist, artist, album);
    }

    private static String first(Tag tag, FieldKey key) {
        try {
            String v = tag.getFirst(key);
            return v == null ? "" : v.strip();
        } catch (RuntimeException e) {
            return "";
        }
    }
}
