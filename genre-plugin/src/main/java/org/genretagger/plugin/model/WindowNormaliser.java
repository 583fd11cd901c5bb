package org.genretagger.plugin.model;

/**
 * Turns a window of mel power frames into what the network sees. The one code path shared by
 * training and inference; its name is recorded in the model config.
 */
public final class WindowNormaliser {
    /** dB relative to the window maximum, floored at topDb below it, standardised over the window. */
    public static final String DB_WINDOW_STANDARDISE = "db-window-standardise";
    /**
     * musicnn's input: each mel power value cast to float16, then {@code log10(10000 x + 1)}; no
     * per-window statistics.
     */
    public static final String LOG10_FLOAT16 = "log10-10000x-float16";

    /**
     * EfficientAT's input: {@code (ln(x + 1e-5) + 4.5) / 5} of each mel power value. Like musicnn's,
     * not level-invariant (the 1e-5 floor): a config's {@code levelDb} brings the window to a level first.
     */
    public static final String LN_AFFINE = "ln-1e-5-affine-4.5-5";

    /**
     * Most a window's level is raised or lowered (see {@link ModelConfig#levelDb}): enough to undo a
     * quiet master or a -20 dB copy, not enough to lift near-silence to the level of music.
     */
    public static final double MAX_LEVEL_GAIN_DB = 30;

    private static final double AMIN = 1e-10;

    private WindowNormaliser() {}

    /**
     * Normalises one window the way the config's model was trained.
     *
     * @param config names the normalisation and its parameters
     * @param frames mel power frames, {@code frames[t][m]}, at least {@code count} of them from {@code start}
     * @param start first frame of the window
     * @param count frames in the window
     * @param out destination of length {@code nMels * count}, mel-major (the network's H × W)
     * @param outOffset where in {@code out} the window starts
     */
    public static void normalise(ModelConfig config, float[][] frames, int start, int count, float[] out, int outOffset) {
        switch (config.normalisation) {
            case DB_WINDOW_STANDARDISE -> normalise(frames, start, count, config.topDb, out, outOffset);
            case LOG10_FLOAT16 -> logFloat16(frames, start, count, levelGain(config.levelDb, frames, start, count), out, outOffset);
            case LN_AFFINE -> lnAffine(frames, start, count, levelGain(config.levelDb, frames, start, count), out, outOffset);
            default -> throw new IllegalArgumentException("unknown normalisation '" + config.normalisation + "'");
        }
    }

    /** @return whether {@link #normalise(ModelConfig, float[][], int, int, float[], int)} knows the name */
    static boolean known(String normalisation) {
        return DB_WINDOW_STANDARDISE.equals(normalisation) || LOG10_FLOAT16.equals(normalisation)
                || LN_AFFINE.equals(normalisation);
    }

    /**
     * @return the power gain that brings the window's mean mel power to {@code levelDb}, limited to
     *     {@link #MAX_LEVEL_GAIN_DB} either way; 1 when {@code levelDb} is null
     */
    static double levelGain(Double levelDb, float[][] frames, int start, int count) {
        if (levelDb == null) {
            return 1;
        }
        double db = Math.max(-MAX_LEVEL_GAIN_DB, Math.min(MAX_LEVEL_GAIN_DB, levelDb - meanPowerDb(frames, start, count)));
        return Math.pow(10, db / 10);
    }

    /**
     * @param frames mel power frames
     * @param start first frame of the window
     * @param count frames in the window
     * @return the window's mean mel power in dB
     */
    public static double meanPowerDb(float[][] frames, int start, int count) {
        double sum = 0;
        int n = 0;
        for (int t = 0; t < count; t++) {
            for (float v : frames[start + t]) {
                sum += v;
                n++;
            }
        }
        return 10 * Math.log10(Math.max(AMIN, sum / n));
    }

    private static void logFloat16(float[][] frames, int start, int count, double gain, float[] out, int outOffset) {
        int nMels = frames[start].length;
        for (int t = 0; t < count; t++) {
            float[] f = frames[start + t];
            for (int m = 0; m < nMels; m++) {
                // Exact for gain 1: a float times 1.0 in double casts back to itself.
                out[outOffset + m * count + t] = (float) Math.log10(10000.0 * toFloat16((float) (f[m] * gain)) + 1.0);
            }
        }
    }

    private static void lnAffine(float[][] frames, int start, int count, double gain, float[] out, int outOffset) {
        int nMels = frames[start].length;
        for (int t = 0; t < count; t++) {
            float[] f = frames[start + t];
            for (int m = 0; m < nMels; m++) {
                out[outOffset + m * count + t] = (float) ((Math.log(f[m] * gain + 1e-5) + 4.5) / 5);
            }
        }
    }

    /**
     * Rounds to the nearest IEEE half-precision value (ties to even), as numpy's
     * {@code astype(float16)} does, returned as a float. Java 17 has no float16 type.
     *
     * @param f a value
     * @return the nearest float16, infinite beyond its range
     */
    public static float toFloat16(float f) {
        if (Float.isNaN(f) || Float.isInfinite(f)) {
            return f;
        }
        float a = Math.abs(f);
        if (a >= 65520f) {
            return Math.copySign(Float.POSITIVE_INFINITY, f);
        }
        if (a < 6.103515625e-05f) {
            // Subnormal halves are multiples of 2^-24.
            return Math.copySign((float) (Math.rint(a * 16777216.0) / 16777216.0), f);
        }
        int bits = Float.floatToRawIntBits(f);
        int lsb = (bits >> 13) & 1;
        bits = (bits + 0xFFF + lsb) & ~0x1FFF;
        return Float.intBitsToFloat(bits);
    }

    /**
     * Normalises one window in place layout: {@code out[m * frames + t]}.
     *
     * @param frames mel power frames, {@code frames[t][m]}, at least {@code count} of them from
     *     {@code start}
     * @param start first frame of the window
     * @param count frames in the window
     * @param topDb dynamic range kept
     * @param out destination of length {@code nMels * count}, mel-major (the network's H × W)
     * @param outOffset where in {@code out} the window starts
     */
    static void normalise(float[][] frames, int start, int count, double topDb, float[] out, int outOffset) {
        int nMels = frames[start].length;
        double max = -Double.MAX_VALUE;
        for (int t = 0; t < count; t++) {
            float[] f = frames[start + t];
            for (int m = 0; m < nMels; m++) {
                double db = 10.0 * Math.log10(Math.max(AMIN, f[m]));
                out[outOffset + m * count + t] = (float) db;
                if (db > max) {
                    max = db;
                }
            }
        }
        double floor = max - topDb;
        int n = nMels * count;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = out[outOffset + i];
            if (v < floor) {
                v = (float) floor;
                out[outOffset + i] = v;
            }
            sum += v;
        }
        double mean = sum / n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = out[outOffset + i] - mean;
            var += d * d;
        }
        // A silent window is flat: leave it at zero rather than divide by nothing.
        double scale = var > 0 ? 1.0 / Math.sqrt(var / n) : 0.0;
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = (float) ((out[outOffset + i] - mean) * scale);
        }
    }
}
