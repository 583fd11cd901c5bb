package org.genretagger.trainer.augment;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Random, training-only waveform augmentation of one clip: pitch shift, time stretch, additive
 * white or pink noise at a random SNR and a random gain, each applied with its own probability.
 *
 * <p>Every call draws the same number of values from {@code rng} whatever gets applied, so one
 * seed gives one result, and changing a probability does not reshuffle the other draws.
 *
 * <p>Length: a time stretch changes it to {@code round(clip.length / rate)}; without one the
 * output has the clip's length. Callers cut windows from whatever comes back. The output never
 * exceeds full scale: if its peak passes 1 it is scaled down (not clipped).
 *
 * @param pitchProbability chance of a pitch shift
 * @param maxSemitones pitch shift drawn uniformly in {@code [-maxSemitones, maxSemitones]}
 * @param stretchProbability chance of a time stretch
 * @param minRate smallest stretch rate (below 1 is slower, longer)
 * @param maxRate largest stretch rate (above 1 is faster, shorter)
 * @param noiseProbability chance of additive noise, white or pink with equal odds
 * @param minSnrDb lowest signal-to-noise ratio in dB
 * @param maxSnrDb highest signal-to-noise ratio in dB
 * @param gainProbability chance of a gain change
 * @param maxGainDb gain drawn uniformly in {@code [-maxGainDb, maxGainDb]} dB
 */
public record Augmenter(
        double pitchProbability,
        double maxSemitones,
        double stretchProbability,
        double minRate,
        double maxRate,
        double noiseProbability,
        double minSnrDb,
        double maxSnrDb,
        double gainProbability,
        double maxGainDb) implements Augmentation {

    /** Validates the ranges. */
    public Augmenter {
        requireProbability("pitchProbability", pitchProbability);
        requireProbability("stretchProbability", stretchProbability);
        requireProbability("noiseProbability", noiseProbability);
        requireProbability("gainProbability", gainProbability);
        if (!(maxSemitones >= 0 && maxSemitones <= 24)) {
            throw new IllegalArgumentException("maxSemitones must be in [0, 24], got " + maxSemitones);
        }
        if (!(minRate > 0 && minRate <= maxRate && Double.isFinite(maxRate))) {
            throw new IllegalArgumentException("need 0 < minRate <= maxRate, got " + minRate + ", " + maxRate);
        }
        if (!(minSnrDb <= maxSnrDb && Double.isFinite(minSnrDb) && Double.isFinite(maxSnrDb))) {
            throw new IllegalArgumentException("need minSnrDb <= maxSnrDb, got " + minSnrDb + ", " + maxSnrDb);
        }
        if (!(maxGainDb >= 0 && Double.isFinite(maxGainDb))) {
            throw new IllegalArgumentException("maxGainDb must be >= 0, got " + maxGainDb);
        }
    }

    /**
     * Defaults: each transform with probability 0.5; ±2 semitones, rate 0.8–1.2, SNR 10–30 dB,
     * gain ±6 dB.
     */
    public static Augmenter defaults() {
        return new Augmenter(0.5, 2.0, 0.5, 0.8, 1.2, 0.5, 10.0, 30.0, 0.5, 6.0);
    }

    /**
     * Returns an augmented copy of {@code clip}.
     *
     * @param clip mono samples, nominally in [-1, 1]; not modified
     * @param sampleRate sample rate of {@code clip} in Hz
     * @param rng source of every random choice
     * @return a new array: {@code round(clip.length / rate)} samples if stretched, else
     *     {@code clip.length}
     */
    @Override
    public float[] augment(float[] clip, int sampleRate, Random rng) {
        // Fixed draw order and count: see the class comment.
        boolean pitch = rng.nextDouble() < pitchProbability;
        double semitones = (2 * rng.nextDouble() - 1) * maxSemitones;
        boolean stretch = rng.nextDouble() < stretchProbability;
        double rate = minRate + rng.nextDouble() * (maxRate - minRate);
        boolean noise = rng.nextDouble() < noiseProbability;
        double snrDb = minSnrDb + rng.nextDouble() * (maxSnrDb - minSnrDb);
        boolean pink = rng.nextBoolean();
        long noiseSeed = rng.nextLong();
        boolean gain = rng.nextDouble() < gainProbability;
        double gainDb = (2 * rng.nextDouble() - 1) * maxGainDb;

        float[] y;
        if (pitch && semitones != 0) {
            // One phase-vocoder pass for both shift and stretch.
            y = PitchShift.shiftAndStretch(clip, sampleRate, semitones, stretch ? rate : 1.0);
        } else if (stretch && rate != 1.0) {
            y = PhaseVocoder.timeStretch(clip, rate);
        } else {
            y = clip.clone();
        }
        if (noise) {
            addNoise(y, snrDb, pink, new SplittableRandom(noiseSeed));
        }
        float scale = gain ? (float) Math.pow(10.0, gainDb / 20.0) : 1f;
        float peak = 0f;
        for (float v : y) {
            peak = Math.max(peak, Math.abs(v * scale));
        }
        if (peak > 1f) {
            scale /= peak; // clip-safe: scale down rather than clip, no distortion added
        }
        if (scale != 1f) {
            for (int i = 0; i < y.length; i++) {
                y[i] *= scale;
            }
        }
        return y;
    }

    /** Adds white or pink Gaussian noise to {@code y} in place at {@code snrDb}; silence stays silent. */
    static void addNoise(float[] y, double snrDb, boolean pink, SplittableRandom random) {
        double signalPower = 0;
        for (float v : y) {
            signalPower += (double) v * v;
        }
        if (signalPower == 0) {
            return; // no signal to set an SNR against
        }
        float[] n = new float[y.length];
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
        double noisePower = 0;
        for (int i = 0; i < n.length; i++) {
            double white = random.nextGaussian();
            double v;
            if (pink) {
                // Paul Kellet's refined pink filter: -3 dB/octave within ±0.05 dB above ~9 Hz.
                b0 = 0.99886 * b0 + white * 0.0555179;
                b1 = 0.99332 * b1 + white * 0.0750759;
                b2 = 0.96900 * b2 + white * 0.1538520;
                b3 = 0.86650 * b3 + white * 0.3104856;
                b4 = 0.55000 * b4 + white * 0.5329522;
                b5 = -0.7616 * b5 - white * 0.0168980;
                v = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
                b6 = white * 0.115926;
            } else {
                v = white;
            }
            n[i] = (float) v;
            noisePower += v * v;
        }
        double k = Math.sqrt(signalPower / noisePower / Math.pow(10.0, snrDb / 10.0));
        for (int i = 0; i < y.length; i++) {
            y[i] += (float) (k * n[i]);
        }
    }

    private static void requireProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
        }
    }
}
