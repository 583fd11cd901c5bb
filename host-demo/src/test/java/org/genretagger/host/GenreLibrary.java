package org.genretagger.host;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.jaudiotagger.audio.AudioFile;
import org.jaudiotagger.audio.AudioFileIO;
import org.jaudiotagger.tag.FieldKey;
import org.jaudiotagger.tag.Tag;
import org.jaudiotagger.tag.TagOptionSingleton;
import org.jaudiotagger.audio.wav.WavOptions;
import org.jaudiotagger.audio.wav.WavSaveOptions;

/**
 * A made-up tagged library for learning: four "genres" of generated audio that differ in timbre
 * and rhythm (a slow kick-and-bass beat, soft swelling pads, fast clipped saw chords over
 * sixteenth-note noise, plucked decaying notes), albums of a few tracks each, and tags in three
 * formats: WAV with an ID3 chunk, AIFF with an ID3 chunk, WAV with only a RIFF INFO chunk.
 */
final class GenreLibrary {
    static final int RATE = 22050;
    /** The genres, as the generator knows them. */
    enum Style { BEAT, PAD, SAW, PLUCK }

    static {
        // Jaudiotagger logs every chunk it reads at INFO.
        java.util.logging.Logger.getLogger("org.jaudiotagger").setLevel(java.util.logging.Level.OFF);
    }

    private GenreLibrary() {}

    /**
     * One track to make.
     *
     * @param file where
     * @param style its sound
     * @param genre the genre tag, or null for none
     * @param artist the artist tag
     * @param album the album tag
     * @param seed varies the audio
     */
    record Track(Path file, Style style, String genre, String artist, String album, long seed) {}

    /** Writes a track: audio, then tags in the format its extension and index choose. */
    static void write(Track t, int format) throws Exception {
        Files.createDirectories(t.file().getParent());
        float[] audio = audio(t.style(), t.seed(), 12);
        String name = t.file().getFileName().toString();
        if (name.endsWith(".aiff")) {
            pcm(audio, t.file(), AudioFileFormat.Type.AIFF);
        } else if (format == 2 && t.genre() != null) {
            Files.write(t.file(), wavWithInfo(audio, t.genre(), t.artist(), t.album()));
            return;
        } else {
            pcm(audio, t.file(), AudioFileFormat.Type.WAVE);
        }
        if (t.genre() != null || t.artist() != null) {
            TagOptionSingleton.getInstance().setWavOptions(WavOptions.READ_ID3_ONLY);
            TagOptionSingleton.getInstance().setWavSaveOptions(WavSaveOptions.SAVE_ACTIVE);
            AudioFile af = AudioFileIO.read(t.file().toFile());
            Tag tag = af.getTagOrCreateAndSetDefault();
            if (t.genre() != null) {
                tag.setField(FieldKey.GENRE, t.genre());
            }
            tag.setField(FieldKey.ARTIST, t.artist());
            tag.setField(FieldKey.ALBUM, t.album());
            af.commit();
        }
    }

    /** Mono audio in [-1, 1] of the given style. */
    static float[] audio(Style style, long seed, int seconds) {
        Random r = new Random(seed);
        int n = RATE * seconds;
        float[] out = new float[n];
        double root = 55 * Math.pow(2, r.nextInt(12) / 12.0);
        switch (style) {
            case BEAT -> {
                double beat = RATE * 60.0 / (80 + r.nextInt(15));
                for (int i = 0; i < n; i++) {
                    double b = i / beat;
                    double t = (b - Math.floor(b)) * beat / RATE;
                    int k = (int) b % 4;
                    double kick = k % 2 == 0 ? Math.exp(-t * 12) * Math.sin(2 * Math.PI * (45 + 40 * Math.exp(-t * 25)) * t) : 0;
                    double snare = k % 2 == 1 ? 0.5 * Math.exp(-t * 20) * (r.nextDouble() * 2 - 1) : 0;
                    double bass = 0.3 * Math.sin(2 * Math.PI * root * i / RATE) * Math.exp(-t * 3);
                    out[i] = (float) (0.6 * kick + snare + bass);
                }
            }
            case PAD -> {
                double[] f = {root * 4, root * 5, root * 6, root * 8};
                double swell = 2 + r.nextDouble() * 3;
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (double hz : f) {
                        s += Math.sin(2 * Math.PI * hz * i / RATE);
                    }
                    double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * i / (RATE * swell));
                    out[i] = (float) (0.12 * env * s + 0.003 * (r.nextDouble() * 2 - 1));
                }
            }
            case SAW -> {
                double sixteenth = RATE * 60.0 / (165 + r.nextInt(20)) / 4;
                for (int i = 0; i < n; i++) {
                    double chord = root * 2 * ((i / (RATE * 2)) % 2 == 0 ? 1 : 1.335);
                    double saw = 0;
                    for (double hz : new double[] {chord, chord * 1.5, chord * 2.003}) {
                        double ph = hz * i / RATE;
                        saw += 2 * (ph - Math.floor(ph)) - 1;
                    }
                    double dist = Math.tanh(2.5 * saw);
                    double s = (i / sixteenth) - Math.floor(i / sixteenth);
                    double hat = Math.exp(-s * 30) * (r.nextDouble() * 2 - 1);
                    out[i] = (float) (0.35 * dist + 0.25 * hat);
                }
            }
            case PLUCK -> {
                double note = RATE * (0.3 + 0.2 * r.nextDouble());
                int[] scale = {0, 2, 4, 5, 7, 9, 11, 12};
                double hz = root * 8;
                for (int i = 0; i < n; i++) {
                    int idx = (int) (i / note);
                    double t = (i - idx * note) / RATE;
                    if (i % (int) note == 0) {
                        hz = root * 4 * Math.pow(2, scale[r.nextInt(scale.length)] / 12.0);
                    }
                    double s = 0;
                    for (int h = 1; h <= 6; h++) {
                        s += Math.sin(2 * Math.PI * hz * h * t) * Math.exp(-t * (3 + 2 * h)) / h;
                    }
                    out[i] = (float) (0.4 * s);
                }
            }
            default -> throw new AssertionError(style);
        }
        return out;
    }

    private static byte[] pcm16(float[] audio, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(audio.length * 2).order(order);
        for (float v : audio) {
            b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32000));
        }
        return b.array();
    }

    private static void pcm(float[] audio, Path file, AudioFileFormat.Type type) throws IOException {
        byte[] data = pcm16(audio, ByteOrder.BIG_ENDIAN);
        AudioFormat fmt = new AudioFormat(RATE, 16, 1, true, true);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(data), fmt, audio.length)) {
            AudioSystem.write(in, type, file.toFile());
        }
    }

    /** A WAV whose only tags are a RIFF LIST/INFO chunk, as older Windows tools write. */
    static byte[] wavWithInfo(float[] audio, String genre, String artist, String album) {
        byte[] data = pcm16(audio, ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes("INFO".getBytes(StandardCharsets.US_ASCII));
        for (String[] f : List.of(new String[] {"IGNR", genre}, new String[] {"IART", artist}, new String[] {"IPRD", album})) {
            byte[] v = (f[1] + "\0").getBytes(StandardCharsets.UTF_8);
            info.writeBytes(f[0].getBytes(StandardCharsets.US_ASCII));
            info.writeBytes(le32(v.length));
            info.writeBytes(v);
            if (v.length % 2 == 1) {
                info.write(0);
            }
        }
        byte[] list = info.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(12 + 24 + 8 + data.length + 8 + list.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(b.capacity() - 8).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE)
                .putInt(RATE * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        b.put("LIST".getBytes(StandardCharsets.US_ASCII)).putInt(list.length).put(list);
        return b.array();
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** Tag spellings per style, cycling: case and punctuation variants and an alias. */
    static final List<List<String>> SPELLINGS = List.of(
            List.of("Hip Hop", "hip-hop", "Hip Hop", "HipHop", "Hip Hop", "hip hop"),
            List.of("Ambient", "ambient", "Ambient"),
            List.of("Metal", "Heavy Metal", "METAL", "Metal"),
            List.of("Plucked", "plucked", "Plucked"));

    /**
     * Makes the library: per style 4 albums of 3 tracks (artists: 3 per style, one with two
     * albums), formats cycling; plus 3 "Polka" tracks (too few), 2 untagged tracks and 2 broken
     * files.
     *
     * @param root the folder
     * @return the tracks made (not the broken files)
     */
    static List<Track> make(Path root) throws Exception {
        List<Track> made = new ArrayList<>();
        int n = 0;
        for (Style s : Style.values()) {
            List<String> spell = SPELLINGS.get(s.ordinal());
            for (int a = 0; a < 4; a++) {
                String artist = s + " Artist " + Math.min(a, 2);
                String album = s + " Album " + a;
                for (int k = 0; k < 3; k++) {
                    String ext = n % 3 == 1 ? ".aiff" : ".wav";
                    Path f = root.resolve(artist).resolve(album).resolve("track" + k + ext);
                    Track t = new Track(f, s, spell.get(n % spell.size()), artist, album, 1000L * s.ordinal() + 10L * a + k);
                    write(t, n % 3);
                    made.add(t);
                    n++;
                }
            }
        }
        for (int k = 0; k < 3; k++) {
            Track t = new Track(root.resolve("Polka Band/Polka Album/p" + k + ".wav"), Style.PLUCK, "Polka", "Polka Band", "Polka Album", 9000 + k);
            write(t, 0);
            made.add(t);
        }
        for (int k = 0; k < 2; k++) {
            Track t = new Track(root.resolve("untagged/u" + k + ".wav"), Style.BEAT, null, null, null, 9100 + k);
            write(t, 0);
            made.add(t);
        }
        Files.write(root.resolve("broken.wav"), "RIFF not really a wave file at all".getBytes(StandardCharsets.US_ASCII));
        Files.write(root.resolve("empty.wav"), new byte[0]);
        return made;
    }
}
