package org.genretagger.plugin.model;

/**
 * The one softmax: the plugin's window probabilities, a learned model's, the head's training and
 * the trainer's calibration all go through it, so a probability means the same everywhere.
 */
public final class Softmax {
    private Softmax() {}

    /**
     * @param z logits, replaced by {@code softmax(z / temperature)} (numerically stable)
     * @param temperature divides the logits first
     */
    public static void inPlace(double[] z, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < z.length; k++) {
            z[k] = Math.exp((z[k] - max) / temperature);
            sum += z[k];
        }
        for (int k = 0; k < z.length; k++) {
            z[k] /= sum;
        }
    }

    /**
     * @param logits one row of logits
     * @param temperature divides the logits first
     * @param out receives the probabilities, as long as {@code logits}
     */
    public static void of(float[] logits, double temperature, double[] out) {
        for (int k = 0; k < logits.length; k++) {
            out[k] = logits[k];
        }
        inPlace(out, temperature);
    }

    /**
     * @param logits one row of logits, replaced by probabilities
     * @param temperature divides the logits first
     */
    public static void inPlace(float[] logits, double temperature) {
        double[] p = new double[logits.length];
        of(logits, temperature, p);
        for (int k = 0; k < p.length; k++) {
            logits[k] = (float) p[k];
        }
    }
}
