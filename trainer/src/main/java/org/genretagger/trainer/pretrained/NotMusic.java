package org.genretagger.trainer.pretrained;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.trainer.corpus.AudioEncoder;
import org.genretagger.trainer.data.Clip;

/**
 * Thirty-second clips of what must never get a genre: speech (espeak-ng, many voices and
 * speeds), white, pink and brown noise, test tones and sweeps, hum, clicks and near-silence. They
 * teach the head a "not music" class. Speech needs Debian's {@code espeak-ng}; without it only the
 * other kinds are made, and the caller is told.
 */
public final class NotMusic {
    /** The label of the class. */
    public static final String LABEL = "notmusic";
    /** Its display name. */
    public static final String NAME = "Not music";

    private static final String[] TEXTS = {
        "The meeting will start at nine tomorrow morning in the small room on the second floor.",
        "Welcome back to the show. Today we talk about gardening, taxes and the history of bridges.",
        "Please keep your ticket until the end of the journey. The next station is Central.",
        "In this chapter we look at how rivers shape valleys over thousands of years.",
        "Thank you for calling. All our operators are busy. Your call is important to us.",
        "She opened the letter, read it twice, and then put it back into the drawer without a word.",
        "Numbers one to ten: one, two, three, four, five, six, seven, eight, nine, ten.",
        "The weather today will be cloudy with some rain in the afternoon and a light wind from the west.",
    };
    private static final String[] VOICES = {"en-us", "en", "en-gb-x-rp", "de", "fr", "es", "it", "nl", "pt", "sv", "pl", "ru"};

    private NotMusic() {}

    /** @return whether espeak-ng can be run */
    public static boolean speechAvailable() {
        try {
            Process p = new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Writes {@code count} clips (FLAC, 32 kHz) into {@code dir}, reusing ones already there.
     *
     * @param dir where the clips go
     * @param count how many
     * @param seed decides every clip
     * @return the clips, labelled {@link #LABEL}
     * @throws IOException if a clip cannot be written
     */
    public static List<Clip> generate(Path dir, int count, long seed) throws IOException {
        Files.createDirectories(dir);
        boolean speech = speechAvailable();
        if (!speech) {
            System.out.println("note: espeak-ng not found: the not-music class is learned without speech (apt-get install espeak-ng)");
        }
        List<Clip> clips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = LABEL + "/" + LABEL + String.format(".%05d", i);
            Path file = dir.resolve(LABEL + String.format(".%05d.flac", i));
            if (!Files.isRegularFile(file)) {
                Random rng = new Random(seed * 7919L + i);
                // Half of the clips are speech when espeak-ng is there.
                int kind = speech && i % 2 == 0 ? 0 : 1 + rng.nextInt(5);
                float[] y = make(kind, rng, dir);
                Path tmp = dir.resolve(".tmp-" + file.getFileName());
                try (AudioEncoder enc = new AudioEncoder(tmp, AudioEncoder.Format.FLAC, RATE)) {
                    enc.write(y, y, y.length);
                    enc.finish();
                }
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            clips.add(new Clip(file, LABEL, key));
        }
        return clips;
    }

    /** Wide enough for every base: EfficientAT hears up to 15 kHz, and band-limited noise would teach "dull means not music". */
    private static final int RATE = 32000;
    private static final int SECONDS = 30;

    private static float[] make(int kind, Random rng, Path dir) throws IOException {
        int n = RATE * SECONDS;
        float[] y = new float[n];
        switch (kind) {
            case 0 -> speech(y, rng, dir);
            case 1 -> noise(y, rng, rng.nextInt(3));
            case 2 -> tones(y, rng);
            case 3 -> { // mains hum with harmonics, maybe under faint noise
                double f0 = rng.nextBoolean() ? 50 : 60;
                for (int i = 0; i < n; i++) {
                    double t = (double) i / RATE;
                    y[i] = (float) (0.3 * Math.sin(2 * Math.PI * f0 * t) + 0.1 * Math.sin(2 * Math.PI * 3 * f0 * t));
                }
                addScaled(y, noiseOf(n, rng, 0), 0.01);
            }
            case 4 -> { // clicks and ticks in near-silence
                for (int i = 0; i < n; i++) {
                    y[i] = (float) (rng.nextGaussian() * 1e-4);
                }
                int clicks = 5 + rng.nextInt(60);
                for (int c = 0; c < clicks; c++) {
                    int at = rng.nextInt(n - 100);
                    for (int k = 0; k < 40; k++) {
                        y[at + k] += (float) (0.5 * Math.exp(-k / 6.0) * (rng.nextBoolean() ? 1 : -1));
                    }
                }
            }
            default -> { // near-silence: dither or room tone
                addScaled(y, noiseOf(n, rng, 2), Math.pow(10, -(50 + rng.nextDouble() * 30) / 20));
            }
        }
        double gain = Math.pow(10, -rng.nextDouble() * 20 / 20);
        float peak = 0;
        for (float v : y) {
            peak = Math.max(peak, Math.abs(v));
        }
        double scale = peak * gain > 0.99 ? 0.99 / peak : gain;
        for (int i = 0; i < n; i++) {
            y[i] *= (float) scale;
        }
        return y;
    }

    /** Utterances in random voices and speeds, with pauses, filling the clip. */
    private static void speech(float[] y, Random rng, Path dir) throws IOException {
        int at = rng.nextInt(RATE);
        Path wav = Files.createTempFile(dir, ".speech-", ".wav");
        try {
            while (at < y.length) {
                String voice = VOICES[rng.nextInt(VOICES.length)] + (rng.nextBoolean() ? "+f" + (1 + rng.nextInt(4)) : "");
                String text = TEXTS[rng.nextInt(TEXTS.length)];
                int wpm = 120 + rng.nextInt(80);
                Process p = new ProcessBuilder("espeak-ng", "-v", voice, "-s", Integer.toString(wpm), "-p",
                        Integer.toString(30 + rng.nextInt(40)), "-w", wav.toString(), text).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                try {
                    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                        throw new IOException("espeak-ng failed for voice " + voice);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                float[] s = AudioDecoder.decodeAll(wav, RATE);
                int len = Math.min(s.length, y.length - at);
                System.arraycopy(s, 0, y, at, len);
                at += len + (int) (RATE * (0.2 + rng.nextDouble() * 1.2));
            }
        } finally {
            Files.deleteIfExists(wav);
        }
        if (rng.nextBoolean()) {
            addScaled(y, noiseOf(y.length, rng, rng.nextInt(3)), 0.003 + rng.nextDouble() * 0.03);
        }
    }

    /** @param colour 0 white, 1 pink-ish (one pole), 2 brown */
    private static void noise(float[] y, Random rng, int colour) {
        addScaled(y, noiseOf(y.length, rng, colour), 0.2);
    }

    private static float[] noiseOf(int n, Random rng, int colour) {
        float[] out = new float[n];
        double state = 0;
        double peak = 1e-9;
        for (int i = 0; i < n; i++) {
            double w = rng.nextGaussian();
            state = colour == 0 ? w : colour == 1 ? 0.9 * state + w : 0.995 * state + w * 0.1;
            out[i] = (float) state;
            peak = Math.max(peak, Math.abs(state));
        }
        for (int i = 0; i < n; i++) {
            out[i] /= (float) peak;
        }
        return out;
    }

    /** Steady tones, stepped tones or a sweep, as test signals are. */
    private static void tones(float[] y, Random rng) {
        int mode = rng.nextInt(3);
        double f = 100 + rng.nextDouble() * 3000;
        double phase = 0;
        for (int i = 0; i < y.length; i++) {
            double t = (double) i / RATE;
            if (mode == 1 && i % (RATE * 2) == 0) {
                f = 100 + rng.nextDouble() * 5000;
            } else if (mode == 2) {
                f = 20 * Math.pow(7000 / 20.0, t / SECONDS);
            }
            phase += 2 * Math.PI * f / RATE;
            y[i] = (float) (0.5 * Math.sin(phase));
        }
    }

    private static void addScaled(float[] y, float[] x, double k) {
        for (int i = 0; i < y.length; i++) {
            y[i] += (float) (k * x[i]);
        }
    }
}
