package org.genretagger.trainer.augment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.genretagger.plugin.audio.AudioDecoder;
import org.genretagger.trainer.corpus.AudioEncoder;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * What the way music reaches people does to audio, as a training augmentation: a low-pass at a
 * random cut-off (a band-limited or old file), a round trip through FFmpeg's MP3 or AAC encoder at
 * a low bit rate, an EQ tilt (a bright or dull master or speaker), and a gain (a quiet recording).
 * Each applies with its own probability; the draws are fixed in number, so one seed gives one
 * result.
 *
 * @param lowPassProbability chance of a low-pass
 * @param minCutoffHz lowest cut-off
 * @param maxCutoffHz highest cut-off (above Nyquist it does nothing)
 * @param lossyProbability chance of an MP3 or AAC round trip
 * @param minKbps lowest bit rate
 * @param maxKbps highest bit rate
 * @param tiltProbability chance of an EQ tilt
 * @param maxTiltDbPerOctave tilt drawn in {@code [-max, max]} dB per octave around 1 kHz
 * @param gainProbability chance of a gain change
 * @param minGainDb lowest gain
 * @param maxGainDb highest gain (peaks are kept under full scale)
 */
public record ChannelAugmenter(
        double lowPassProbability, double minCutoffHz, double maxCutoffHz,
        double lossyProbability, int minKbps, int maxKbps,
        double tiltProbability, double maxTiltDbPerOctave,
        double gainProbability, double minGainDb, double maxGainDb) implements Augmentation {

    /** @return low-pass 4–11 kHz, MP3/AAC at 48–128 kbit/s, tilt ±1.5 dB/octave, gain −24…+6 dB; each with probability 0.4 */
    public static ChannelAugmenter defaults() {
        return new ChannelAugmenter(0.4, 4000, 11000, 0.4, 48, 128, 0.4, 1.5, 0.4, -24, 6);
    }

    @Override
    public float[] augment(float[] clip, int sampleRate, Random rng) {
        boolean lowPass = rng.nextDouble() < lowPassProbability;
        double cutoff = minCutoffHz + rng.nextDouble() * (maxCutoffHz - minCutoffHz);
        boolean lossy = rng.nextDouble() < lossyProbability;
        boolean aac = rng.nextBoolean();
        int kbps = minKbps + rng.nextInt(maxKbps - minKbps + 1);
        boolean tilt = rng.nextDouble() < tiltProbability;
        double slope = (2 * rng.nextDouble() - 1) * maxTiltDbPerOctave;
        boolean gain = rng.nextDouble() < gainProbability;
        double gainDb = minGainDb + rng.nextDouble() * (maxGainDb - minGainDb);

        float[] y = clip.clone();
        if (lossy) {
            y = roundTrip(y, sampleRate, aac ? AudioEncoder.Format.M4A : AudioEncoder.Format.MP3, kbps * 1000L);
        }
        if (lowPass || tilt) {
            shape(y, sampleRate, lowPass ? cutoff : Double.POSITIVE_INFINITY, tilt ? slope : 0);
        }
        if (gain) {
            scale(y, Math.pow(10, gainDb / 20));
        }
        return y;
    }

    /**
     * Encodes and decodes again with FFmpeg, keeping the clip's length.
     *
     * @param y samples
     * @param sampleRate their rate
     * @param format MP3 or AAC
     * @param bitRate bits per second
     * @return the decoded copy
     */
    public static float[] roundTrip(float[] y, int sampleRate, AudioEncoder.Format format, long bitRate) {
        try {
            Path tmp = Files.createTempFile("genre-augment-", "." + format.extension());
            try {
                try (AudioEncoder enc = new AudioEncoder(tmp, format, sampleRate, bitRate)) {
                    enc.write(y, y, y.length);
                    enc.finish();
                }
                float[] back = AudioDecoder.decodeAll(tmp, sampleRate);
                return java.util.Arrays.copyOf(back, y.length);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Multiplies the spectrum by a brick-wall low-pass above {@code cutoffHz} and a tilt of
     * {@code dbPerOctave} around 1 kHz, in place.
     *
     * @param y samples
     * @param sampleRate their rate
     * @param cutoffHz cut-off, or infinity for none
     * @param dbPerOctave tilt, 0 for none
     */
    public static void shape(float[] y, int sampleRate, double cutoffHz, double dbPerOctave) {
        int n = y.length;
        if (n < 2) {
            return;
        }
        FloatFFT_1D fft = new FloatFFT_1D(n);
        float[] a = y.clone();
        fft.realForward(a);
        int bins = n / 2;
        for (int k = 0; k <= bins; k++) {
            double f = (double) k * sampleRate / n;
            double g = f > cutoffHz ? 0 : 1;
            if (dbPerOctave != 0 && g > 0) {
                double octaves = Math.log(Math.max(f, 20.0) / 1000.0) / Math.log(2);
                g *= Math.pow(10, dbPerOctave * octaves / 20);
            }
            // JTransforms' packing: a[0] = Re 0, a[1] = Re n/2 (even n), a[2k], a[2k+1] = Re, Im k.
            if (k == 0) {
                a[0] *= (float) g;
            } else if (k == bins && n % 2 == 0) {
                a[1] *= (float) g;
            } else if (2 * k + 1 < n) {
                a[2 * k] *= (float) g;
                a[2 * k + 1] *= (float) g;
            }
        }
        fft.realInverse(a, true);
        System.arraycopy(a, 0, y, 0, n);
        scale(y, 1);
    }

    /** Multiplies by {@code gain}, then scales down (never clips) if a peak passes full scale. */
    static void scale(float[] y, double gain) {
        double peak = 0;
        for (float v : y) {
            peak = Math.max(peak, Math.abs(v * gain));
        }
        double g = peak > 1 ? gain / peak : gain;
        if (g != 1) {
            for (int i = 0; i < y.length; i++) {
                y[i] *= (float) g;
            }
        }
    }
}
