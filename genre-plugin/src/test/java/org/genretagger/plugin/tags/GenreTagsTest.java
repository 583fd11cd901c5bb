package org.genretagger.plugin.tags;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.genretagger.api.Id3Version;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.asf.AsfFieldKey;
import org.jaudiotagger.tag.asf.AsfTag;
import org.jaudiotagger.tag.mp4.Mp4Tag;
import org.jaudiotagger.tag.mp4.field.Mp4GenreField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GenreTagsTest {

    /** How a format stores several genres. */
    enum Multi { NATIVE, JOINED, ID3 }

    enum Fixture {
        MP3("tone.mp3", Multi.ID3),
        WAV("tone.wav", Multi.ID3),
        AIFF("tone.aiff", Multi.ID3),
        FLAC("tone.flac", Multi.NATIVE),
        OGG("tone.ogg", Multi.NATIVE),
        OPUS("tone.opus", Multi.NATIVE),
        M4A("tone.m4a", Multi.JOINED),
        ALAC("tone-alac.m4a", Multi.JOINED),
        WMA("tone.wma", Multi.NATIVE);

        final String file;
        final Multi multi;

        Fixture(String file, Multi multi) {
            this.file = file;
            this.multi = multi;
        }

        String ext() {
            return file.substring(file.lastIndexOf('.') + 1);
        }
    }

    @TempDir
    Path dir;

    static Stream<Arguments> formatsAndVersions() {
        return Arrays.stream(Fixture.values())
                .flatMap(f -> Arrays.stream(Id3Version.values()).map(v -> Arguments.of(f, v)));
    }

    @ParameterizedTest
    @MethodSource("formatsAndVersions")
    void writesReplacesAndRemovesGenresLeavingAudioAlone(Fixture f, Id3Version v) throws Exception {
        Path original = fixture(f.file);
        // The safe-write layer's temporary names keep the real extension last.
        Path file = Files.copy(original, dir.resolve("song.gtmp." + f.ext()));
        assertEquals(List.of(), GenreTags.readGenres(file));

        GenreTags.writeGenres(file, List.of("Rock"), v, "; ");
        assertEquals(List.of("Rock"), GenreTags.readGenres(file));

        GenreTags.writeGenres(file, List.of("Jazz", "Blues"), v, "; ");
        boolean native2 = f.multi == Multi.NATIVE || f.multi == Multi.ID3 && v == Id3Version.V2_4;
        assertEquals(native2 ? List.of("Jazz", "Blues") : List.of("Jazz; Blues"), GenreTags.readGenres(file));

        GenreTags.writeGenres(file, List.of("Metal"), v, "; ");
        assertEquals(List.of("Metal"), GenreTags.readGenres(file));

        GenreTags.writeGenres(file, List.of(), v, "; ");
        assertEquals(List.of(), GenreTags.readGenres(file));

        assertArrayEquals(audio(original), audio(file), "audio payload changed");
        assertOnly(file);
    }

    @Test
    void supportsByExtension() {
        for (String ext : List.of("mp3", "flac", "ogg", "oga", "opus", "m4a", "mp4", "m4b", "wav", "aif", "aiff",
                "aifc", "wma", "MP3", "Flac")) {
            assertTrue(GenreTags.supports(Paths.get("a.b." + ext)), ext);
        }
        for (String name : List.of("tone.au", "notes.txt", "mp3", "song.mp3.bak", "song.ape")) {
            assertFalse(GenreTags.supports(Paths.get(name)), name);
        }
    }

    @Test
    void unsupportedAndBadFilesFailWithTheFileNamed() throws Exception {
        Path au = Files.copy(fixture("tone.au"), dir.resolve("tone.au"));
        assertFalse(GenreTags.supports(au));
        assertFailsNaming(au, () -> GenreTags.readGenres(au));

        byte[] noise = new byte[20_000];
        new Random(42).nextBytes(noise);
        for (String name : List.of("noise.mp3", "noise.m4a", "noise.flac", "noise.opus", "noise.wav", "noise.wma")) {
            Path bad = Files.write(dir.resolve(name), noise);
            assertFailsNaming(bad, () -> GenreTags.readGenres(bad));
            assertFailsNaming(bad, () -> GenreTags.writeGenres(bad, List.of("Rock"), Id3Version.V2_4, "; "));
            assertArrayEquals(noise, Files.readAllBytes(bad), name + " was modified");
        }
        Path empty = Files.createFile(dir.resolve("empty.flac"));
        assertFailsNaming(empty, () -> GenreTags.readGenres(empty));
        assertFailsNaming(empty, () -> GenreTags.writeGenres(empty, List.of("Rock"), Id3Version.V2_4, "; "));
        Path missing = dir.resolve("missing.mp3");
        assertFailsNaming(missing, () -> GenreTags.readGenres(missing));
        // Nothing left behind by the failed attempts.
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(8, s.count());
        }
    }

    @Test
    void rejectsInvalidGenres() throws Exception {
        Path file = Files.copy(fixture("tone.flac"), dir.resolve("a.flac"));
        assertThrows(IllegalArgumentException.class,
                () -> GenreTags.writeGenres(file, List.of("Rock", " "), Id3Version.V2_4, "; "));
        assertThrows(IllegalArgumentException.class,
                () -> GenreTags.writeGenres(file, List.of("Ro\0ck"), Id3Version.V2_4, "; "));
    }

    // ---- ID3 ----------------------------------------------------------------------------------

    @Test
    void mp3TconHoldsTextNeverANumericCode() throws Exception {
        Path file = Files.copy(fixture("tone.mp3"), dir.resolve("a.mp3"));
        GenreTags.writeGenres(file, List.of("Rock"), Id3Version.V2_4, "; ");
        byte[] d = Files.readAllBytes(file);
        assertEquals(4, d[3]);
        assertEquals("Rock", text(id3Frames(d).get("TCON")));

        GenreTags.writeGenres(file, List.of("Rock", "Blues"), Id3Version.V2_4, "; ");
        assertEquals("Rock\0Blues", text(id3Frames(Files.readAllBytes(file)).get("TCON")));

        GenreTags.writeGenres(file, List.of("Rock", "Blues"), Id3Version.V2_3, "; ");
        d = Files.readAllBytes(file);
        assertEquals(3, d[3]);
        assertEquals("Rock; Blues", text(id3Frames(d).get("TCON")));
        assertEquals("Lavf59.27.100", text(id3Frames(d).get("TSSE")), "other frames kept");
    }

    @Test
    void id3NonLatinGenresRoundTrip() throws Exception {
        for (Id3Version v : Id3Version.values()) {
            Path file = Files.copy(fixture("tone.mp3"), dir.resolve(v + ".mp3"));
            GenreTags.writeGenres(file, List.of("日本のロック", "Música"), v, " / ");
            List<String> expected = v == Id3Version.V2_4 ? List.of("日本のロック", "Música") : List.of("日本のロック / Música");
            assertEquals(expected, GenreTags.readGenres(file));
        }
    }

    @Test
    void id3v23TextThatLooksLikeACodeIsEscaped() throws Exception {
        Path file = Files.copy(fixture("tone.mp3"), dir.resolve("a.mp3"));
        GenreTags.writeGenres(file, List.of("(17) live"), Id3Version.V2_3, "; ");
        assertEquals("((17) live", text(id3Frames(Files.readAllBytes(file)).get("TCON")));
        assertEquals(List.of("(17) live"), GenreTags.readGenres(file));
        GenreTags.writeGenres(file, List.of("(Live) Rock"), Id3Version.V2_3, "; ");
        assertEquals("(Live) Rock", text(id3Frames(Files.readAllBytes(file)).get("TCON")));
        assertEquals(List.of("(Live) Rock"), GenreTags.readGenres(file));
    }

    @Test
    void id3CodesBecomeNames() {
        assertEquals(List.of("Rock"), GenreTags.id3Names("(17)"));
        assertEquals(List.of("Rock"), GenreTags.id3Names("17"));
        assertEquals(List.of("Rock"), GenreTags.id3Names("(17)Rock"));
        assertEquals(List.of("Eurodisco"), GenreTags.id3Names("(4)Eurodisco"));
        assertEquals(List.of("Grunge"), GenreTags.id3Names("(17)(6)Grunge"));
        assertEquals(List.of("Rock", "Grunge"), GenreTags.id3Names("(17)(6)"));
        assertEquals(List.of("Remix"), GenreTags.id3Names("(RX)"));
        assertEquals(List.of("Cover"), GenreTags.id3Names("CR"));
        assertEquals(List.of("(Live) Rock"), GenreTags.id3Names("((Live) Rock"));
        assertEquals(List.of("(Live) Rock"), GenreTags.id3Names("(Live) Rock"));
        assertEquals(List.of("Rock; Pop"), GenreTags.id3Names("Rock; Pop"));
        assertEquals(List.of("999"), GenreTags.id3Names("999"));
    }

    /** A hand-made ID3v2.3 + ID3v1 file: version conversion keeps frames, ID3v1 follows along. */
    @Test
    void mp3VersionConversionKeepsFramesAndId3v1Follows() throws Exception {
        byte[] mpeg = audio(fixture("tone.mp3"));
        byte[] v23 = id3v23(Map.of("TIT2", "Tee", "TPE1", "Arty", "TCON", "(0)"));
        byte[] v1 = id3v1("Tee", "Arty", 0);
        Path file = dir.resolve("old.mp3");
        Files.write(file, concat(v23, mpeg, v1));
        assertEquals(List.of("Blues"), GenreTags.readGenres(file));

        GenreTags.writeGenres(file, List.of("rock", "Synthwave"), Id3Version.V2_4, "; ");
        byte[] d = Files.readAllBytes(file);
        assertEquals(4, d[3]);
        Map<String, byte[]> frames = id3Frames(d);
        assertEquals("Tee", text(frames.get("TIT2")));
        assertEquals("Arty", text(frames.get("TPE1")));
        assertEquals("rock\0Synthwave", text(frames.get("TCON")));
        assertEquals("TAGTee", new String(d, d.length - 128, 6, StandardCharsets.ISO_8859_1));
        assertEquals(17, d[d.length - 1] & 0xff, "ID3v1 genre follows the first genre, case-insensitively");

        GenreTags.writeGenres(file, List.of("Synthwave"), Id3Version.V2_3, "; ");
        d = Files.readAllBytes(file);
        assertEquals(3, d[3]);
        assertEquals("Tee", text(id3Frames(d).get("TIT2")));
        assertEquals(255, d[d.length - 1] & 0xff, "no ID3v1 code: none rather than a stale genre");
        assertArrayEquals(mpeg, audio(file));
    }

    @Test
    void mp3WithOnlyId3v1() throws Exception {
        byte[] mpeg = audio(fixture("tone.mp3"));
        Path file = dir.resolve("v1.mp3");
        Files.write(file, concat(mpeg, id3v1("Tee", "Arty", 0)));
        assertEquals(List.of("Blues"), GenreTags.readGenres(file));
        GenreTags.writeGenres(file, List.of("Jazz"), Id3Version.V2_4, "; ");
        byte[] d = Files.readAllBytes(file);
        assertEquals("Jazz", text(id3Frames(d).get("TCON")));
        assertEquals(8, d[d.length - 1] & 0xff);
        assertEquals(List.of("Jazz"), GenreTags.readGenres(file));
        assertArrayEquals(mpeg, audio(file));
    }

    @Test
    void mp3WithoutTagsAndNothingToWriteStaysUntouched() throws Exception {
        Path file = dir.resolve("bare.mp3");
        Files.write(file, audio(fixture("tone.mp3")));
        byte[] before = Files.readAllBytes(file);
        GenreTags.writeGenres(file, List.of(), Id3Version.V2_4, "; ");
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    // ---- WAV ----------------------------------------------------------------------------------

    @Test
    void wavKeepsItsInfoChunkConsistent() throws Exception {
        Path file = Files.copy(fixture("tone.wav"), dir.resolve("a.wav"));
        GenreTags.writeGenres(file, List.of("Jazz", "Pop"), Id3Version.V2_4, "; ");
        Map<String, String> info = wavInfo(file);
        assertEquals("Jazz; Pop", info.get("IGNR"));
        assertEquals("Lavf59.27.100", info.get("ISFT"));
        assertTrue(riffChunks(file).containsKey("id3 "));
        GenreTags.writeGenres(file, List.of(), Id3Version.V2_4, "; ");
        info = wavInfo(file);
        assertFalse(info.containsKey("IGNR"));
        assertEquals("Lavf59.27.100", info.get("ISFT"));
    }

    @Test
    void wavWithOnlyInfoGetsAnId3ChunkWithItsFields() throws Exception {
        Map<String, byte[]> chunks = riffChunks(fixture("tone.wav"));
        byte[] info = concat("INFO".getBytes(StandardCharsets.US_ASCII),
                riffChunk("IGNR", "Country\0".getBytes(StandardCharsets.US_ASCII)),
                riffChunk("INAM", "Tee\0".getBytes(StandardCharsets.US_ASCII)));
        byte[] body = concat("WAVE".getBytes(StandardCharsets.US_ASCII), riffChunk("fmt ", chunks.get("fmt ")),
                riffChunk("LIST", info), riffChunk("data", chunks.get("data")));
        Path file = dir.resolve("info.wav");
        Files.write(file, riffChunk("RIFF", body));
        assertEquals(List.of("Country"), GenreTags.readGenres(file));

        GenreTags.writeGenres(file, List.of("Jazz", "Pop"), Id3Version.V2_4, "; ");
        assertEquals(List.of("Jazz", "Pop"), GenreTags.readGenres(file));
        assertEquals("Jazz; Pop", wavInfo(file).get("IGNR"));
        assertEquals("Tee", AudioFileIO.read(file.toFile()).getTag().getFirst(FieldKey.TITLE));
        assertArrayEquals(chunks.get("data"), riffChunks(file).get("data"));
    }

    // ---- MP4, WMA -----------------------------------------------------------------------------

    @Test
    void m4aUsesTextGenreAndDropsOldGnre() throws Exception {
        Path file = Files.copy(fixture("tone.m4a"), dir.resolve("a.m4a"));
        AudioFile af = AudioFileIO.read(file.toFile());
        ((Mp4Tag) af.getTag()).addField(new Mp4GenreField("Rock"));
        af.commit();
        assertEquals(List.of("gnre"), ilstGenreAtoms(file));
        assertEquals(List.of("Rock"), GenreTags.readGenres(file));

        GenreTags.writeGenres(file, List.of("Jazz", "Blues"), Id3Version.V2_4, "; ");
        assertEquals(List.of("\u00a9gen"), ilstGenreAtoms(file));
        assertEquals(List.of("Jazz; Blues"), GenreTags.readGenres(file));
        GenreTags.writeGenres(file, List.of(), Id3Version.V2_4, "; ");
        assertEquals(List.of(), ilstGenreAtoms(file));
    }

    @Test
    void wmaDropsOldGenreId() throws Exception {
        Path file = Files.copy(fixture("tone.wma"), dir.resolve("a.wma"));
        AudioFile af = AudioFileIO.read(file.toFile());
        AsfTag tag = (AsfTag) af.getTag();
        tag.addField(tag.createField(AsfFieldKey.GENRE_ID, "(17)"));
        af.commit();
        assertEquals(List.of("Rock"), GenreTags.readGenres(file));

        GenreTags.writeGenres(file, List.of("Jazz", "Blues"), Id3Version.V2_4, "; ");
        AsfTag after = (AsfTag) AudioFileIO.read(file.toFile()).getTag();
        assertEquals(List.of(), after.getFields(AsfFieldKey.GENRE_ID.getFieldName()));
        assertEquals(2, after.getFields(AsfFieldKey.GENRE.getFieldName()).size());
    }

    // ---- Ogg Opus -----------------------------------------------------------------------------

    @Test
    void oggCrcMatchesLiboggPages() throws Exception {
        for (String name : List.of("tone.opus", "tone.ogg")) {
            assertTrue(oggPages(fixture(name)).size() > 3, name); // oggPages checks every CRC
        }
    }

    @Test
    void opusCommentHeaderOverSeveralPages() throws Exception {
        Path original = fixture("tone.opus");
        Path file = Files.copy(original, dir.resolve("song.gtmp.opus"));
        String huge = "x".repeat(140_000); // more than two pages of 255 * 255 bytes
        GenreTags.writeGenres(file, List.of(huge, "Rock"), Id3Version.V2_4, "; ");
        assertEquals(List.of(huge, "Rock"), GenreTags.readGenres(file));

        List<OggOpus.Page> before = oggPages(original);
        List<OggOpus.Page> after = oggPages(file);
        assertEquals(before.size() + 2, after.size(), "comment header now spans three pages");
        for (int i = 2; i <= 3; i++) {
            assertEquals(1, after.get(i).flags & 1, "continued flag");
            assertEquals(-1L, after.get(i - 1).granule, "no packet ends on the page");
        }
        assertArrayEquals(packets(original).get(0), packets(file).get(0), "OpusHead kept");
        Comments c0 = comments(packets(original).get(1));
        Comments c1 = comments(packets(file).get(1));
        assertEquals(c0.vendor, c1.vendor);
        assertEquals(List.of("encoder=Lavc59.37.100 libopus", "GENRE=" + huge, "GENRE=Rock"), c1.list);
        assertEquals(c0.list, List.of("encoder=Lavc59.37.100 libopus"));
        assertArrayEquals(audio(original), audio(file));

        GenreTags.writeGenres(file, List.of("Jazz"), Id3Version.V2_4, "; ");
        assertEquals(before.size(), oggPages(file).size());
        assertEquals(List.of("Jazz"), GenreTags.readGenres(file));
        assertArrayEquals(audio(original), audio(file));
        assertOnly(file);
    }

    @Test
    void opusInsideDotOggIsHandledToo() throws Exception {
        Path file = Files.copy(fixture("tone.opus"), dir.resolve("opus.ogg"));
        GenreTags.writeGenres(file, List.of("Jazz", "Blues"), Id3Version.V2_4, "; ");
        assertEquals(List.of("Jazz", "Blues"), GenreTags.readGenres(file));
    }

    @Test
    void opusRejectsWhatItDoesNotUnderstand() throws Exception {
        Path vorbis = Files.copy(fixture("tone.ogg"), dir.resolve("vorbis.opus"));
        assertFailsNaming(vorbis, () -> GenreTags.readGenres(vorbis), "OpusHead");

        // A second logical stream: the comment page gets another serial number.
        byte[] d = Files.readAllBytes(fixture("tone.opus"));
        int second = 27 + (d[26] & 0xff) + 19;
        ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putInt(second + 14, 12345);
        Path muxed = Files.write(dir.resolve("muxed.opus"), d);
        assertFailsNaming(muxed, () -> GenreTags.writeGenres(muxed, List.of("Rock"), Id3Version.V2_4, "; "),
                "logical Ogg stream");
        assertArrayEquals(d, Files.readAllBytes(muxed));

        Path truncated = Files.write(dir.resolve("cut.opus"), Arrays.copyOf(Files.readAllBytes(fixture("tone.opus")), 9000));
        assertFailsNaming(truncated, () -> GenreTags.writeGenres(truncated, List.of("Rock"), Id3Version.V2_4, "; "),
                "truncated");
        assertEquals(9000, Files.size(truncated));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temporary file left");
        }
    }

    // ---- misc ---------------------------------------------------------------------------------

    @Test
    void concurrentWritesToDifferentFiles() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Fixture f = Fixture.values()[i % Fixture.values().length];
            files.add(Files.copy(fixture(f.file), dir.resolve("c" + i + "." + f.ext())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path p = files.get(i);
                String g = "Genre " + i;
                results.add(pool.submit(() -> {
                    GenreTags.writeGenres(p, List.of(g), Id3Version.V2_4, "; ");
                    return GenreTags.readGenres(p);
                }));
            }
            for (int i = 0; i < files.size(); i++) {
                assertEquals(List.of("Genre " + i), results.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void silencesOnlyJaudiotaggerLogging() throws Exception {
        Level root = Logger.getLogger("").getLevel();
        GenreTags.supports(Paths.get("x.mp3"));
        assertEquals(Level.OFF, Logger.getLogger("org.jaudiotagger").getLevel());
        assertEquals(root, Logger.getLogger("").getLevel());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Path fixture(String name) throws URISyntaxException {
        URL url = GenreTagsTest.class.getResource("/audio/" + name);
        assertNotNull(url, name);
        return Paths.get(url.toURI());
    }

    private void assertOnly(Path file) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file.getFileName().toString()), s.map(p -> p.getFileName().toString()).toList(),
                    "temporary files left behind");
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertFailsNaming(Path file, Call call, String... fragments) {
        TagAccessException e = assertThrows(TagAccessException.class, call::run);
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), e.getMessage());
        }
    }

    /** The bytes that carry the audio, whatever the tags around them. */
    private static byte[] audio(Path file) throws IOException {
        String name = file.getFileName().toString();
        byte[] d = Files.readAllBytes(file);
        String ext = name.substring(name.lastIndexOf('.') + 1);
        switch (ext) {
            case "mp3": {
                int start = 0;
                if (d[0] == 'I' && d[1] == 'D' && d[2] == '3') {
                    start = 10 + syncsafe(d, 6) + ((d[5] & 0x10) != 0 ? 10 : 0);
                }
                int end = d.length;
                if (end - 128 >= start && d[end - 128] == 'T' && d[end - 127] == 'A' && d[end - 126] == 'G') {
                    end -= 128;
                }
                return Arrays.copyOfRange(d, start, end);
            }
            case "wav":
                return riffChunks(file).get("data");
            case "aiff":
                return riffChunks(file).get("SSND");
            case "flac": {
                int pos = 4;
                boolean last = false;
                while (!last) {
                    last = (d[pos] & 0x80) != 0;
                    pos += 4 + ((d[pos + 1] & 0xff) << 16 | (d[pos + 2] & 0xff) << 8 | d[pos + 3] & 0xff);
                }
                return Arrays.copyOfRange(d, pos, d.length);
            }
            case "m4a":
                return mp4Atoms(d, 0, d.length).get("mdat");
            case "wma":
                return asfDataObject(d);
            case "ogg":
            case "opus":
                return oggAudio(file);
            default:
                throw new IllegalArgumentException(name);
        }
    }

    private static int syncsafe(byte[] d, int at) {
        return (d[at] & 0x7f) << 21 | (d[at + 1] & 0x7f) << 14 | (d[at + 2] & 0x7f) << 7 | d[at + 3] & 0x7f;
    }

    /** ID3v2 frames by id (first of each), bodies raw. */
    private static Map<String, byte[]> id3Frames(byte[] d) {
        assertEquals("ID3", new String(d, 0, 3, StandardCharsets.ISO_8859_1));
        int version = d[3];
        int end = 10 + syncsafe(d, 6);
        Map<String, byte[]> frames = new LinkedHashMap<>();
        for (int pos = 10; pos + 10 <= end && d[pos] != 0; ) {
            String id = new String(d, pos, 4, StandardCharsets.ISO_8859_1);
            int size = version == 4 ? syncsafe(d, pos + 4) : ByteBuffer.wrap(d, pos + 4, 4).getInt();
            frames.putIfAbsent(id, Arrays.copyOfRange(d, pos + 10, pos + 10 + size));
            pos += 10 + size;
        }
        return frames;
    }

    /** A text frame's string, trailing NULs dropped; asserts it is not a numeric genre. */
    private static String text(byte[] body) {
        assertNotNull(body, "frame missing");
        String s = switch (body[0]) {
            case 0 -> new String(body, 1, body.length - 1, StandardCharsets.ISO_8859_1);
            case 1 -> new String(body, 1, body.length - 1, StandardCharsets.UTF_16);
            case 2 -> new String(body, 1, body.length - 1, StandardCharsets.UTF_16BE);
            default -> new String(body, 1, body.length - 1, StandardCharsets.UTF_8);
        };
        while (s.endsWith("\0")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static byte[] id3v23(Map<String, String> frames) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        frames.forEach((id, value) -> {
            byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
            body.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
            body.writeBytes(ByteBuffer.allocate(4).putInt(v.length + 1).array());
            body.writeBytes(new byte[] {0, 0, 0});
            body.writeBytes(v);
        });
        int size = body.size();
        byte[] header = {'I', 'D', '3', 3, 0, 0, (byte) (size >> 21 & 0x7f), (byte) (size >> 14 & 0x7f),
            (byte) (size >> 7 & 0x7f), (byte) (size & 0x7f)};
        return concat(header, body.toByteArray());
    }

    private static byte[] id3v1(String title, String artist, int genre) {
        ByteBuffer b = ByteBuffer.allocate(128);
        b.put("TAG".getBytes(StandardCharsets.ISO_8859_1));
        b.put(Arrays.copyOf(title.getBytes(StandardCharsets.ISO_8859_1), 30));
        b.put(Arrays.copyOf(artist.getBytes(StandardCharsets.ISO_8859_1), 30));
        b.position(127);
        b.put((byte) genre);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Top-level chunks of a RIFF (little-endian) or FORM (big-endian) file. */
    private static Map<String, byte[]> riffChunks(Path file) throws IOException {
        byte[] d = Files.readAllBytes(file);
        ByteOrder order = d[0] == 'F' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Map<String, byte[]> chunks = new LinkedHashMap<>();
        for (int pos = 12; pos + 8 <= d.length; ) {
            String id = new String(d, pos, 4, StandardCharsets.ISO_8859_1);
            int size = ByteBuffer.wrap(d, pos + 4, 4).order(order).getInt();
            chunks.putIfAbsent(id, Arrays.copyOfRange(d, pos + 8, pos + 8 + size));
            pos += 8 + size + (size & 1);
        }
        return chunks;
    }

    private static byte[] riffChunk(String id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length + (body.length & 1)).order(ByteOrder.LITTLE_ENDIAN);
        return b.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length).put(body).array();
    }

    private static Map<String, String> wavInfo(Path file) throws IOException {
        byte[] list = riffChunks(file).get("LIST");
        assertEquals("INFO", new String(list, 0, 4, StandardCharsets.US_ASCII));
        Map<String, String> info = new LinkedHashMap<>();
        for (int pos = 4; pos + 8 <= list.length; ) {
            int size = ByteBuffer.wrap(list, pos + 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            String value = new String(list, pos + 8, size, StandardCharsets.UTF_8);
            info.put(new String(list, pos, 4, StandardCharsets.US_ASCII), value.replace("\0", ""));
            pos += 8 + size + (size & 1);
        }
        return info;
    }

    private static Map<String, byte[]> mp4Atoms(byte[] d, int from, int to) {
        Map<String, byte[]> atoms = new LinkedHashMap<>();
        for (int pos = from; pos + 8 <= to; ) {
            long size = ByteBuffer.wrap(d, pos, 4).getInt() & 0xffffffffL;
            int header = 8;
            if (size == 1) {
                size = ByteBuffer.wrap(d, pos + 8, 8).getLong();
                header = 16;
            } else if (size == 0) {
                size = to - pos;
            }
            atoms.putIfAbsent(new String(d, pos + 4, 4, StandardCharsets.ISO_8859_1),
                    Arrays.copyOfRange(d, pos + header, (int) (pos + size)));
            pos += (int) size;
        }
        return atoms;
    }

    /** Names of the genre atoms under moov/udta/meta/ilst, in order. */
    private static List<String> ilstGenreAtoms(Path file) throws IOException {
        byte[] d = Files.readAllBytes(file);
        byte[] moov = mp4Atoms(d, 0, d.length).get("moov");
        byte[] udta = mp4Atoms(moov, 0, moov.length).get("udta");
        byte[] meta = mp4Atoms(udta, 0, udta.length).get("meta");
        byte[] ilst = mp4Atoms(meta, 4, meta.length).get("ilst");
        List<String> names = new ArrayList<>();
        for (int pos = 0; pos + 8 <= ilst.length; ) {
            String name = new String(ilst, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (name.equals("gnre") || name.equals("\u00a9gen")) {
                names.add(name);
            }
            pos += ByteBuffer.wrap(ilst, pos, 4).getInt();
        }
        return names;
    }

    private static byte[] asfDataObject(byte[] d) {
        byte[] guid = {0x36, 0x26, (byte) 0xB2, 0x75, (byte) 0x8E, 0x66, (byte) 0xCF, 0x11, (byte) 0xA6, (byte) 0xD9,
            0x00, (byte) 0xAA, 0x00, 0x62, (byte) 0xCE, 0x6C};
        for (int pos = 0; pos + 24 <= d.length; ) {
            long size = ByteBuffer.wrap(d, pos + 16, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (Arrays.equals(d, pos, pos + 16, guid, 0, 16)) {
                return Arrays.copyOfRange(d, pos + 24, (int) (pos + size));
            }
            pos += (int) size;
        }
        throw new AssertionError("no ASF data object");
    }

    /** All pages; checks every CRC and that sequence numbers count up from 0 in one stream. */
    private static List<OggOpus.Page> oggPages(Path file) throws IOException {
        List<OggOpus.Page> pages = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (OggOpus.Page p = OggOpus.readPage(in); p != null; p = OggOpus.readPage(in)) {
                assertEquals(p.crc, OggOpus.crc(p.headerWithoutCrc(), p.body), "CRC of page " + pages.size());
                assertEquals(pages.size(), p.sequence, "page sequence number");
                assertEquals(pages.isEmpty() ? p.serial : pages.get(0).serial, p.serial);
                pages.add(p);
            }
        }
        return pages;
    }

    private static List<byte[]> packets(Path file) throws IOException {
        List<byte[]> packets = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        for (OggOpus.Page p : oggPages(file)) {
            int at = 0;
            for (int v : p.lacing) {
                current.write(p.body, at, v);
                at += v;
                if (v < 255) {
                    packets.add(current.toByteArray());
                    current.reset();
                }
            }
        }
        return packets;
    }

    /** Granule, flags, lacing and body of every page after the header packets (2 Opus, 3 Vorbis). */
    private static byte[] oggAudio(Path file) throws IOException {
        List<OggOpus.Page> pages = oggPages(file);
        int headers = new String(pages.get(0).body, StandardCharsets.ISO_8859_1).startsWith("OpusHead") ? 2 : 3;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int done = 0;
        for (OggOpus.Page p : pages) {
            if (done >= headers) {
                out.writeBytes(ByteBuffer.allocate(9).putLong(p.granule).put((byte) p.flags).array());
                out.writeBytes(Arrays.copyOfRange(p.header, 26, p.header.length));
                out.writeBytes(p.body);
            }
            done += p.packetEnds();
        }
        assertTrue(out.size() > 0);
        return out.toByteArray();
    }

    private record Comments(String vendor, List<String> list) {
    }

    private static Comments comments(byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("OpusTags", new String(packet, 0, 8, StandardCharsets.US_ASCII));
        b.position(8);
        String vendor = utf8(b);
        int n = b.getInt();
        List<String> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(utf8(b));
        }
        return new Comments(vendor, list);
    }

    private static String utf8(ByteBuffer b) {
        byte[] v = new byte[b.getInt()];
        b.get(v);
        return new String(v, StandardCharsets.UTF_8);
    }
}
