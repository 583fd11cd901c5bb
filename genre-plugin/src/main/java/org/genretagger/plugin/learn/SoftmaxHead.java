package org.genretagger.plugin.learn;

/**
 * The classifier learned on top of the base network's embedding: softmax (multinomial logistic)
 * regression on standardised features, with L2 regularisation and class weights that make every
 * genre count equally however many tracks it has. Trained by full-batch gradient descent with
 * Adam; the loss is convex, so the result does not depend on a lucky start. Plain arrays, so it
 * is stored in the model's {@code config.json} as it is.
 */
public final class SoftmaxHead {
    /** L2 strength on the weights, against the mean class-weighted cross-entropy. */
    static final double L2 = 1e-2;
    static final int STEPS = 500;
    private static final double RATE = 0.05;

    /** Feature means, subtracted first. */
    public float[] mean;
    /** Feature standard deviations, divided by next. */
    public float[] scale;
    /** Weights, {@code [classes][features]}. */
    public float[][] weights;
    /** Biases, one per class. */
    public float[] bias;

    /**
     * @param x features, {@code [tracks][features]}
     * @param y class index per track
     * @param classes number of classes; each must occur
     * @return the trained head
     */
    static SoftmaxHead train(float[][] x, int[] y, int classes) {
        int n = x.length;
        int d = x[0].length;
        SoftmaxHead h = new SoftmaxHead();
        h.mean = new float[d];
        h.scale = new float[d];
        for (int j = 0; j < d; j++) {
            double s = 0;
            double s2 = 0;
            for (float[] r : x) {
                s += r[j];
                s2 += (double) r[j] * r[j];
            }
            double m = s / n;
            h.mean[j] = (float) m;
            h.scale[j] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, s2 / n - m * m)));
        }
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (x[i][j] - h.mean[j]) / h.scale[j];
            }
        }
        int[] count = new int[classes];
        for (int c : y) {
            count[c]++;
        }
        double[] weight = new double[n];
        for (int i = 0; i < n; i++) {
            // Balanced: each class's tracks together weigh 1 / classes.
            weight[i] = 1.0 / (classes * count[y[i]]);
        }
        double[][] w = new double[classes][d];
        double[] b = new double[classes];
        double[][] mw = new double[classes][d];
        double[][] vw = new double[classes][d];
        double[] mb = new double[classes];
        double[] vb = new double[classes];
        double[][] gw = new double[classes][d];
        double[] gb = new double[classes];
        double[] p = new double[classes];
        final double b1 = 0.9;
        final double b2 = 0.999;
        for (int step = 1; step <= STEPS; step++) {
            for (int c = 0; c < classes; c++) {
                java.util.Arrays.fill(gw[c], 0);
                for (int j = 0; j < d; j++) {
                    gw[c][j] = L2 * w[c][j];
                }
                gb[c] = 0;
            }
            for (int i = 0; i < n; i++) {
                probabilities(w, b, z[i], p);
                for (int c = 0; c < classes; c++) {
                    double g = weight[i] * (p[c] - (y[i] == c ? 1 : 0));
                    gb[c] += g;
                    double[] row = gw[c];
                    double[] zi = z[i];
                    for (int j = 0; j < d; j++) {
                        row[j] += g * zi[j];
                    }
                }
            }
            double c1 = 1 - Math.pow(b1, step);
            double c2 = 1 - Math.pow(b2, step);
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j < d; j++) {
                    mw[c][j] = b1 * mw[c][j] + (1 - b1) * gw[c][j];
                    vw[c][j] = b2 * vw[c][j] + (1 - b2) * gw[c][j] * gw[c][j];
                    w[c][j] -= RATE * (mw[c][j] / c1) / (Math.sqrt(vw[c][j] / c2) + 1e-8);
                }
                mb[c] = b1 * mb[c] + (1 - b1) * gb[c];
                vb[c] = b2 * vb[c] + (1 - b2) * gb[c] * gb[c];
                b[c] -= RATE * (mb[c] / c1) / (Math.sqrt(vb[c] / c2) + 1e-8);
            }
        }
        h.weights = new float[classes][d];
        h.bias = new float[classes];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < d; j++) {
                h.weights[c][j] = (float) w[c][j];
            }
            h.bias[c] = (float) b[c];
        }
        return h;
    }

    private static void probabilities(double[][] w, double[] b, double[] z, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < b.length; c++) {
            double s = b[c];
            for (int j = 0; j < z.length; j++) {
                s += w[c][j] * z[j];
            }
            out[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < b.length; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < b.length; c++) {
            out[c] /= sum;
        }
    }

    /** @return the feature dimension it expects */
    public int dimension() {
        return mean.length;
    }

    /**
     * @param x one feature vector (a mean embedding)
     * @return one logit per class
     */
    public float[] logits(float[] x) {
        float[] out = new float[bias.length];
        for (int c = 0; c < out.length; c++) {
            double s = bias[c];
            for (int j = 0; j < x.length; j++) {
                s += weights[c][j] * ((x[j] - mean[j]) / scale[j]);
            }
            out[c] = (float) s;
        }
        return out;
    }
}
