package org.genretagger.trainer.corpus;

import java.util.Random;

/**
 * Music-like stereo audio for benchmarks: a chord progression on a harmonic pad, a bass line,
 * kick, snare and hi-hat on a tempo grid, a little noise. Each seed gives a different key, tempo,
 * timbre and mix, so a corpus is not one file many times. Generated in chunks: any length in
 * constant memory. Deterministic for a seed.
 */
public final class SyntheticMusic {
    private static final int TABLE = 4096;
    private static final float[] SINE = new float[TABLE + 1];

    static {
        for (int i = 0; i <= TABLE; i++) {
            SINE[i] = (float) Math.sin(2 * Math.PI * i / TABLE);
        }
    }

    /** Semitone offsets of the chords (I, V, vi, IV and friends) over the key's root. */
    private static final int[][] PROGRESSIONS = {
        {0, 7, 9, 5}, {0, 5, 7, 5}, {9, 5, 0, 7}, {0, 9, 5, 7}, {0, 3, 10, 5}, {0, 0, 5, 7},
    };

    private final int sampleRate;
    private final Random random;
    private final double beatSamples;
    private final int[] progression;
    private final double rootHz;
    private final double[] harmonics;
    private final boolean minor;
    private final float drums;
    private final float pad;
    private final float bass;
    private final float noise;
    private final float pan;
    private final int swingEighths;
    private long position;
    // Oscillator phases in table units: three chord voices and the bass.
    private final double[] phase = new double[4];
    private float hatState;

    /**
     * @param seed which track
     * @param sampleRate output rate in Hz
     */
    public SyntheticMusic(long seed, int sampleRate) {
        this.sampleRate = sampleRate;
        this.random = new Random(seed);
        double bpm = 70 + random.nextInt(101);
        this.beatSamples = sampleRate * 60.0 / bpm;
        this.progression = PROGRESSIONS[random.nextInt(PROGRESSIONS.length)];
        this.rootHz = 110 * Math.pow(2, random.nextInt(12) / 12.0);
        this.minor = random.nextBoolean();
        int n = 3 + random.nextInt(6);
        this.harmonics = new double[n];
        double rolloff = 0.35 + 0.5 * random.nextDouble();
        for (int h = 0; h < n; h++) {
            harmonics[h] = Math.pow(rolloff, h);
        }
        this.drums = 0.15f + 0.45f * random.nextFloat();
        this.pad = 0.1f + 0.25f * random.nextFloat();
        this.bass = 0.1f + 0.3f * random.nextFloat();
        this.noise = 0.002f + 0.02f * random.nextFloat();
        this.pan = 0.2f + 0.6f * random.nextFloat();
        this.swingEighths = random.nextInt(3);
    }

    /**
     * Fills the next frames.
     *
     * @param left left channel
     * @param right right channel
     * @param count frames to generate
     */
    public void next(float[] left, float[] right, int count) {
        for (int i = 0; i < count; i++) {
            long t = position++;
            double beats = t / beatSamples;
            long beat = (long) beats;
            double inBeat = beats - beat;
            int bar = (int) (beat / 4);
            int chord = progression[bar % progression.length];
            double chordRoot = rootHz * Math.pow(2, chord / 12.0);
            double third = chordRoot * Math.pow(2, (minor ? 3 : 4) / 12.0);
            double fifth = chordRoot * Math.pow(2, 7 / 12.0);
            // Pad: three harmonic voices, swelling with each bar.
            double barPos = (beats / 4) - bar;
            double padEnv = pad * (0.6 + 0.4 * Math.sin(Math.PI * barPos));
            double p = padEnv * (voice(0, chordRoot) + voice(1, third) + voice(2, fifth)) / 3;
            // Bass: the chord root an octave down, plucked on every beat.
            double b = bass * Math.exp(-4 * inBeat) * osc(3, chordRoot / 2);
            // Drums: kick on 1 and 3, snare on 2 and 4, hats on eighths.
            double kick = 0;
            double snare = 0;
            int beatInBar = (int) (beat % 4);
            double tb = inBeat * beatSamples / sampleRate;
            if (beatInBar % 2 == 0) {
                kick = Math.exp(-tb * 18) * Math.sin(2 * Math.PI * (50 * tb + 60 * (1 - Math.exp(-tb * 30)) / 30));
            } else {
                snare = Math.exp(-tb * 25) * (random.nextFloat() * 2 - 1);
            }
            double eighth = (beats * 2) - Math.floor(beats * 2);
            if (swingEighths > 0 && ((long) (beats * 2)) % 2 == 1) {
                eighth = Math.max(0, eighth - 0.15 * swingEighths);
            }
            float white = random.nextFloat() * 2 - 1;
            float hp = white - hatState;
            hatState = white;
            double hat = 0.3 * Math.exp(-eighth * 40) * hp;
            double d = drums * (kick + 0.6 * snare + hat);
            double n = noise * (random.nextFloat() * 2 - 1);
            double mid = p + b + d + n;
            // A master gain that leaves headroom: peaks rarely clip.
            left[i] = clip(0.6 * (mid + pan * 0.3 * p));
            right[i] = clip(0.6 * (mid + (1 - pan) * 0.3 * p));
        }
    }

    private double voice(int v, double hz) {
        double inc = hz * TABLE / sampleRate;
        double ph = phase[v];
        double s = 0;
        for (int h = 0; h < harmonics.length; h++) {
            double x = (ph * (h + 1)) % TABLE;
            s += harmonics[h] * SINE[(int) x];
        }
        phase[v] = (ph + inc) % TABLE;
        return s;
    }

    private double osc(int v, double hz) {
        double inc = hz * TABLE / sampleRate;
        double ph = phase[v];
        phase[v] = (ph + inc) % TABLE;
        return SINE[(int) ph];
    }

    private static float clip(double x) {
        return (float) Math.max(-1, Math.min(1, x));
    }
}
