package org.genretagger.plugin.tags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The album fields --by album groups by, as other taggers write them, read with the genres. */
class TrackTagsTest {
    private static final Path FIXTURES = Path.of("src/test/resources/audio");

    @Test
    void albumFieldsAndCompilationFlagOfId3VorbisAndMp4Tags(@TempDir Path dir) throws Exception {
        for (String name : List.of("tone.mp3", "tone.flac", "tone.m4a", "tone.ogg")) {
            Path f = Files.copy(FIXTURES.resolve(name), dir.resolve(name));
            AudioFile af = AudioFileIO.read(f.toFile());
            Tag tag = af.getTagOrCreateAndSetDefault();
            tag.setField(FieldKey.ARTIST, "Guest");
            tag.setField(FieldKey.ALBUM_ARTIST, "Various Artists");
            tag.setField(FieldKey.ALBUM, "Hits");
            tag.setField(FieldKey.IS_COMPILATION, "1");
            tag.setField(FieldKey.GENRE, "Soul");
            af.commit();
            assertEquals(new GenreTags.TrackTags(List.of("Soul"), "Guest", "Various Artists", "Hits", true), GenreTags.readTrackTags(f),
                    name);
        }
        // No album fields at all: empty, not an error.
        assertEquals(new GenreTags.TrackTags(List.of(), "", "", "", false), GenreTags.readTrackTags(FIXTURES.resolve("tone.flac")));
    }

    @Test
    void opusCommentHeader() throws Exception {
        assertEquals(new GenreTags.TrackTags(List.of("Jazz"), "Opus Artist", "Various Artists", "Opus Album", true),
                GenreTags.readTrackTags(FIXTURES.resolve("album-tags.opus")));
    }
}
