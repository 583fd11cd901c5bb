package org.genretagger.plugin.model;

/**
 * Turns a window of mel power frames into what the network sees. The one code path shared by
 * training and inference; its name is recorded in the model config.
 */
public final class WindowNormaliser {
    /** dB relative to the window maximum, floored at topDb below it, standardised over the window. */
    public static final String DB_WINDOW_STANDARDISE = "db-window-standardise";

    private static final double AMIN = 1e-10;

    private WindowNormaliser() {}

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
    public static void normalise(float[][] frames, int start, int count, double topDb, float[] out, int outOffset) {
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
