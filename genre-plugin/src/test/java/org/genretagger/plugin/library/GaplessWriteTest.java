package org.genretagger.plugin.library;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genretagger.api.AudioCheck;
import org.genretagger.api.Id3Version;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.plugin.audio.PacketDigest;
import org.genretagger.plugin.tags.GenreTags;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.mp4.Mp4FieldKey;
import org.jaudiotagger.tag.mp4.Mp4Tag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracks whose gapless playback depends on header and tag fields (an MP3's LAME encoder delay and
 * padding, an M4A's {@code iTunSMPB}, an Opus pre-skip), made here with Debian's ffmpeg: a tag
 * write keeps those fields and every decoded sample, and a copy damaged between the tag write and
 * the check (a packet's bytes, the encoder delay, a dropped packet) is caught by the packet check,
 * leaving the original untouched.
 */
class GaplessWriteTest {
    private static final Path FFMPEG = Path.of("/usr/bin/ffmpeg");
    private static final int SECONDS = 3;
    /** What a file says about its gapless playback, as read from its bytes or tags. */
    private static final String SMPB = " 00000000 00000400 00000334 00000000000204CC";

    @TempDir
    static Path made;
    private static Path mp3;
    private static Path m4a;
    private static Path opus;

    @BeforeAll
    static void makeFiles() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(FFMPEG),
                "skipped: these tests make their files with Debian's ffmpeg (apt-get install ffmpeg), not found at " + FFMPEG);
        java.util.logging.Logger.getLogger("org.jaudiotagger").setLevel(java.util.logging.Level.OFF);
        mp3 = ffmpeg("lame.mp3", 44100, "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k");
        m4a = ffmpeg("smpb.m4a", 44100, "-c:a", "aac", "-b:a", "96k");
        // ffmpeg's mp4 muxer keeps the priming in an edit list but writes no iTunSMPB: add it as iTunes does.
        AudioFile af = AudioFileIO.read(m4a.toFile());
        Mp4Tag tag = (Mp4Tag) af.getTagOrCreateAndSetDefault();
        tag.setField(Mp4FieldKey.ITUNES_SMPB, SMPB);
        af.commit();
        opus = ffmpeg("preskip.opus", 48000, "-c:a", "libopus", "-b:a", "64k");
    }

    /** A few seconds of two tones, encoded by ffmpeg. */
    private static Path ffmpeg(String name, int rate, String... codec) throws Exception {
        Path out = made.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(FFMPEG.toString(), "-v", "error", "-y", "-f", "lavfi", "-i",
                "aevalsrc=0.3*sin(2*PI*440*t)+0.2*sin(2*PI*661*t):s=" + rate + ":d=" + SECONDS));
        cmd.addAll(List.of(codec));
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ffmpeg made " + name + ": " + log); // its output has ended: it is ending, however slowly
        return out;
    }

    private static SafeTagWriter writer(SafeTagWriter.CopyHook damage) {
        return new SafeTagWriter(Id3Version.V2_4, "; ", false, 44100, AudioCheck.PACKETS, null, damage);
    }

    private static Path copy(Path file, Path dir) throws IOException {
        return Files.copy(file, Files.createDirectories(dir).resolve(file.getFileName()));
    }

    private static float[] samples(Path file, int rate) throws IOException {
        return AudioDecoder.decodeAll(file, rate);
    }

    @Test
    void taggingKeepsTheGaplessFieldsAndEverySample(@TempDir Path dir) throws Exception {
        for (Path original : List.of(mp3, m4a, opus)) {
            Path f = copy(original, dir.resolve(original.getFileName() + ".d"));
            int rate = original == opus ? 48000 : 44100;
            String gapless = gaplessFields(f);
            float[] before = samples(f, rate);
            if (original != m4a) {
                // The delay and padding are honoured at all: exactly the encoded length comes out.
                assertEquals(SECONDS * rate, before.length, f + " decodes gaplessly");
            }
            try (Journal j = Journal.open(dir.resolve("j.jsonl"), "retag", dir)) {
                writer(null).write(f, List.of(), List.of("Jazz"), null, j);
            }
            assertEquals(List.of("Jazz"), GenreTags.readGenres(f), "tagged: " + f);
            assertNotEquals(Files.size(original), Files.size(f), "the tag went into the file: " + f);
            assertEquals(gapless, gaplessFields(f), "gapless fields of " + f);
            assertArrayEquals(before, samples(f, rate), "every sample of " + f + ", first to last");
            assertEquals(PacketDigest.of(original), PacketDigest.of(f));
        }
    }

    /** The copy is damaged after its tags are written: the write is refused, nothing changes. */
    @Test
    void aDamagedCopyIsCaughtAndTheOriginalLeftUntouched(@TempDir Path dir) throws Exception {
        record Damage(String what, Path file, SafeTagWriter.CopyHook hook) {}
        List<Damage> damages = List.of(
                new Damage("one packet's bytes changed", mp3, c -> patch(c, mp3Frames(c).get(50) + 200, b -> (byte) (b ^ 0x10))),
                new Damage("encoder delay changed", mp3, c -> patch(c, lameDelayAt(c), b -> (byte) (b + 1))),
                new Damage("a packet dropped", mp3, c -> {
                    byte[] b = Files.readAllBytes(c);
                    List<Integer> frames = mp3Frames(c);
                    int from = frames.get(60);
                    int to = frames.get(61);
                    byte[] out = new byte[b.length - (to - from)];
                    System.arraycopy(b, 0, out, 0, from);
                    System.arraycopy(b, to, out, from, b.length - to);
                    Files.write(c, out);
                }),
                new Damage("iTunSMPB priming changed", m4a, c -> {
                    try {
                        AudioFile af = AudioFileIO.read(c.toFile());
                        ((Mp4Tag) af.getTag()).setField(Mp4FieldKey.ITUNES_SMPB, SMPB.replace("00000400", "00000800"));
                        af.commit();
                    } catch (Exception e) {
                        throw new IOException(e);
                    }
                }),
                new Damage("Opus pre-skip changed", opus, GaplessWriteTest::changePreSkip));
        int n = 0;
        for (Damage d : damages) {
            Path lib = dir.resolve("lib" + n++);
            Path f = copy(d.file, lib);
            byte[] before = Files.readAllBytes(f);
            Path journal = dir.resolve("j" + n + ".jsonl");
            IOException e;
            try (Journal j = Journal.open(journal, "retag", dir)) {
                e = assertThrows(IOException.class, () -> writer(d.hook).write(f, List.of(), List.of("Jazz"), null, j), d.what);
            }
            assertTrue(e.getMessage().startsWith(f.getFileName() + ": the tag write changed the audio: "), d.what + ": " + e.getMessage());
            assertTrue(e.getMessage().endsWith("left as it is"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(f), d.what + ": the original is untouched");
            try (var files = Files.list(lib)) {
                assertEquals(List.of(f), files.toList(), d.what + ": no temporary copy left");
            }
            assertTrue(Journal.read(journal).changes().isEmpty(), d.what + ": nothing journalled");
        }
    }

    /** The fields a gapless player reads, as text: LAME delay and padding, iTunSMPB, Opus pre-skip. */
    private static String gaplessFields(Path f) throws Exception {
        String n = f.getFileName().toString();
        if (n.endsWith(".mp3")) {
            byte[] b = Files.readAllBytes(f);
            int at = lameDelayAt(f);
            int v = (b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | b[at + 2] & 0xff;
            assertTrue((v >> 12) > 0, "the encoder delay is set");
            return "delay " + (v >> 12) + " padding " + (v & 0xfff);
        }
        if (n.endsWith(".m4a")) {
            String smpb = ((Mp4Tag) AudioFileIO.read(f.toFile()).getTag()).getFirst(Mp4FieldKey.ITUNES_SMPB);
            assertEquals(SMPB.trim(), smpb.trim());
            return smpb;
        }
        byte[] b = Files.readAllBytes(f);
        int head = indexOf(b, "OpusHead".getBytes(StandardCharsets.US_ASCII));
        int preSkip = ByteBuffer.wrap(b, head + 10, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        assertTrue(preSkip > 0, "the pre-skip is set");
        return "pre-skip " + preSkip;
    }

    /** Where the 3 bytes of delay (12 bits) and padding (12 bits) are in the Xing/Info frame's LAME extension. */
    private static int lameDelayAt(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        int tag = Math.max(indexOf(b, "Xing".getBytes(StandardCharsets.US_ASCII)), indexOf(b, "Info".getBytes(StandardCharsets.US_ASCII)));
        assertTrue(tag > 0, "a Xing/Info header in " + f);
        int flags = ByteBuffer.wrap(b, tag + 4, 4).getInt();
        int at = tag + 8 + ((flags & 1) != 0 ? 4 : 0) + ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0)
                + ((flags & 8) != 0 ? 4 : 0);
        // encoder string 9, revision 1, lowpass 1, peak 4, two ReplayGains 4, flags 1, bitrate 1
        return at + 21;
    }

    /** Start offsets of the MPEG-1 Layer III frames (the Xing frame first), found by walking their headers. */
    private static List<Integer> mp3Frames(Path f) throws IOException {
        int[] kbps = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
        int[] rates = {44100, 48000, 32000};
        byte[] b = Files.readAllBytes(f);
        int at = indexOf(b, "Xing".getBytes(StandardCharsets.US_ASCII));
        at = Math.max(at, indexOf(b, "Info".getBytes(StandardCharsets.US_ASCII)));
        while (at > 0 && !((b[at] & 0xff) == 0xff && (b[at + 1] & 0xfe) == 0xfa)) {
            at--;
        }
        List<Integer> frames = new ArrayList<>();
        while (at + 4 <= b.length && (b[at] & 0xff) == 0xff && (b[at + 1] & 0xfe) == 0xfa) {
            frames.add(at);
            int h = b[at + 2] & 0xff;
            at += 144000 * kbps[h >> 4] / rates[(h >> 2) & 3] + ((h >> 1) & 1);
        }
        assertTrue(frames.size() > 100, "frames found in " + f + ": " + frames.size());
        return frames;
    }

    /** Sets the OpusHead's pre-skip one higher and puts the Ogg page's checksum right. */
    private static void changePreSkip(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        int head = indexOf(b, "OpusHead".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putShort(head + 10, (short) (bb.getShort(head + 10) + 1));
        int page = indexOf(b, "OggS".getBytes(StandardCharsets.US_ASCII));
        int segments = b[page + 26] & 0xff;
        int len = 27 + segments;
        for (int i = 0; i < segments; i++) {
            len += b[page + 27 + i] & 0xff;
        }
        bb.putInt(page + 22, 0);
        int crc = 0;
        for (int i = page; i < page + len; i++) {
            crc ^= (b[i] & 0xff) << 24;
            for (int k = 0; k < 8; k++) {
                crc = crc < 0 ? crc << 1 ^ 0x04c11db7 : crc << 1;
            }
        }
        bb.putInt(page + 22, crc);
        Files.write(f, b);
    }

    private static void patch(Path f, int at, java.util.function.IntUnaryOperator change) throws IOException {
        byte[] b = Files.readAllBytes(f);
        b[at] = (byte) change.applyAsInt(b[at]);
        Files.write(f, b);
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
