package org.genretagger.spark;

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

/**
 * Made-up tagged tracks to learn a model from (as host-demo's tests do, smaller): three "genres"
 * of generated audio that differ in timbre and rhythm, written as WAV files whose tags are a RIFF
 * INFO chunk (genre, artist, album), so no tag library is needed here.
 */
final class TaggedTracks {
    static final int RATE = 22050;

    /** The sounds, and the genre tag each gets. */
    enum Style {
        BEAT("Hip Hop"), PAD("Ambient"), SAW("Metal");

        final String genre;

        Style(String genre) {
            this.genre = genre;
        }
    }

    private TaggedTracks() {}

    /**
     * A library of {@code albums} albums of {@code tracks} tracks per style.
     *
     * @param root the folder
     * @param albums albums per style (at least 2: learn holds whole albums out)
     * @param tracks tracks per album
     * @param seconds length of each track
     * @return the files written
     */
    static List<Path> library(Path root, int albums, int tracks, int seconds) throws IOException {
        List<Path> made = new ArrayList<>();
        for (Style s : Style.values()) {
            for (int a = 0; a < albums; a++) {
                for (int k = 0; k < tracks; k++) {
                    Path f = root.resolve(s.genre + " Artist").resolve("Album " + a).resolve("track" + k + ".wav");
                    made.add(write(f, s, 1000L * s.ordinal() + 10L * a + k, seconds, s.genre, s.genre + " Artist", s + " Album " + a));
                }
            }
        }
        return made;
    }

    /**
     * One track; untagged when {@code genre} is null.
     *
     * @return the file
     */
    static Path write(Path file, Style style, long seed, int seconds, String genre, String artist, String album) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, wav(audio(style, seed, seconds), genre, artist, album));
        return file;
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
                    double s = (i / sixteenth) - Math.floor(i / sixteenth);
                    double hat = Math.exp(-s * 30) * (r.nextDouble() * 2 - 1);
                    out[i] = (float) (0.35 * Math.tanh(2.5 * saw) + 0.25 * hat);
                }
            }
            default -> throw new AssertionError(style);
        }
        return out;
    }

    /** A 16-bit mono WAV; with a RIFF LIST/INFO chunk of tags unless genre is null. */
    static byte[] wav(float[] audio, String genre, String artist, String album) {
        ByteBuffer pcm = ByteBuffer.allocate(audio.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : audio) {
            pcm.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32000));
        }
        byte[] data = pcm.array();
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        if (genre != null) {
            info.writeBytes("INFO".getBytes(StandardCharsets.US_ASCII));
            for (String[] f : List.of(new String[] {"IGNR", genre}, new String[] {"IART", artist}, new String[] {"IPRD", album})) {
                byte[] v = (f[1] + "\0").getBytes(StandardCharsets.UTF_8);
                info.writeBytes(f[0].getBytes(StandardCharsets.US_ASCII));
                info.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v.length).array());
                info.writeBytes(v);
                if (v.length % 2 == 1) {
                    info.write(0);
                }
            }
        }
        byte[] list = info.toByteArray();
        int listChunk = list.length > 0 ? 8 + list.length : 0;
        ByteBuffer b = ByteBuffer.allocate(12 + 24 + 8 + data.length + listChunk).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(b.capacity() - 8).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE)
                .putInt(RATE * 2).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        if (listChunk > 0) {
            b.put("LIST".getBytes(StandardCharsets.US_ASCII)).putInt(list.length).put(list);
        }
        return b.array();
    }

    /** For trying sizes by hand: {@code java -cp target/test-classes org.genretagger.spark.TaggedTracks DIR ALBUMS TRACKS SECONDS}. */
    public static void main(String[] args) throws IOException {
        System.out.println(library(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3])).size());
    }
}
