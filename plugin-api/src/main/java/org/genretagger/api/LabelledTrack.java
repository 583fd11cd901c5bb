package org.genretagger.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A track to learn from whose genres and album the host already knows (a library manager's
 * database), so {@link GenreLearner#learn} neither scans a folder nor reads the files' tags.
 *
 * @param file the audio file
 * @param genres its genres, first the main one (names are normalised as tags are)
 * @param albumArtist the album artist, empty if none
 * @param artist the track artist, empty if none
 * @param album the album title, empty if none (the file's folder then groups it)
 */
public record LabelledTrack(Path file, List<String> genres, String albumArtist, String artist, String album) {

    /** Validates and copies; null texts become empty. */
    public LabelledTrack {
        Objects.requireNonNull(file, "file");
        genres = List.copyOf(genres);
        albumArtist = albumArtist == null ? "" : albumArtist.strip();
        artist = artist == null ? "" : artist.strip();
        album = album == null ? "" : album.strip();
    }
}
