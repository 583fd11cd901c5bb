package org.genretagger.plugin.model;

/**
 * Multinomial logistic regression with L2 and per-sample weights: the linear head trained on a
 * frozen pretrained embedding. Inputs are standardised inside the fit and the scaling is folded
 * back into the weights, so the result is a plain linear layer on the raw embedding (what
 * {@code PretrainedNet}'s head computes). Full-batch Adam: a few hundred passes over ten thousand
 * 200-value rows take seconds, and the result is deterministic.
 *
 * @param weights {@code [classes][dims]}
 * @param bias {@code [classes]}
 */
public record SoftmaxRegression(float[][] weights, float[] bias) {

    /**
     * @param x rows of features
     * @param y class of each row
     * @param sampleWeight weight of each row (class balancing); null for equal weights
     * @param classes number of classes
     * @param l2 penalty on the squared weights (of standardised inputs), per unit of total sample weight
     * @param iterations full-batch Adam steps
     * @return the fitted head
     */
    public static SoftmaxRegression fit(float[][] x, int[] y, double[] sampleWeight, int classes, double l2, int iterations) {
        int n = x.length;
        int d = x[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                double c = row[j] - mean[j];
                std[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n);
            if (std[j] < 1e-6) {
                std[j] = 1; // a constant feature carries nothing; keep it finite
            }
        }
        double[] w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            w[i] = sampleWeight == null ? 1 : sampleWeight[i];
            total += w[i];
        }
        double[][] z = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                z[i][j] = (x[i][j] - mean[j]) / std[j];
            }
        }
        double[][] wt = new double[classes][d];
        double[] b = new double[classes];
        double[][] mW = new double[classes][d];
        double[][] vW = new double[classes][d];
        double[] mB = new double[classes];
        double[] vB = new double[classes];
        double lr = 0.01;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double[] p = new double[classes];
        for (int it = 1; it <= iterations; it++) {
            double[][] gW = new double[classes][d];
            double[] gB = new double[classes];
            for (int i = 0; i < n; i++) {
                logits(wt, b, z[i], p);
                Softmax.inPlace(p, 1);
                p[y[i]] -= 1;
                double s = w[i] / total;
                for (int k = 0; k < classes; k++) {
                    double g = p[k] * s;
                    if (g == 0) {
                        continue;
                    }
                    gB[k] += g;
                    double[] gk = gW[k];
                    double[] zi = z[i];
                    for (int j = 0; j < d; j++) {
                        gk[j] += g * zi[j];
                    }
                }
            }
            double c1 = 1 - Math.pow(beta1, it);
            double c2 = 1 - Math.pow(beta2, it);
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j < d; j++) {
                    double g = gW[k][j] + 2 * l2 * wt[k][j];
                    mW[k][j] = beta1 * mW[k][j] + (1 - beta1) * g;
                    vW[k][j] = beta2 * vW[k][j] + (1 - beta2) * g * g;
                    wt[k][j] -= lr * (mW[k][j] / c1) / (Math.sqrt(vW[k][j] / c2) + 1e-8);
                }
                mB[k] = beta1 * mB[k] + (1 - beta1) * gB[k];
                vB[k] = beta2 * vB[k] + (1 - beta2) * gB[k] * gB[k];
                b[k] -= lr * (mB[k] / c1) / (Math.sqrt(vB[k] / c2) + 1e-8);
            }
        }
        // Fold the standardisation in: w·(x − μ)/σ + b = (w/σ)·x + (b − Σ w μ/σ).
        float[][] W = new float[classes][d];
        float[] B = new float[classes];
        for (int k = 0; k < classes; k++) {
            double bk = b[k];
            for (int j = 0; j < d; j++) {
                W[k][j] = (float) (wt[k][j] / std[j]);
                bk -= wt[k][j] * mean[j] / std[j];
            }
            B[k] = (float) bk;
        }
        return new SoftmaxRegression(W, B);
    }

    /**
     * @param row one embedding
     * @return the logits
     */
    public float[] logits(float[] row) {
        float[] out = new float[bias.length];
        for (int k = 0; k < bias.length; k++) {
            double s = bias[k];
            float[] wk = weights[k];
            for (int j = 0; j < row.length; j++) {
                s += wk[j] * row[j];
            }
            out[k] = (float) s;
        }
        return out;
    }

    /**
     * @param rows embeddings
     * @return logits of each
     */
    public float[][] logits(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = logits(rows[i]);
        }
        return out;
    }

    private static void logits(double[][] w, double[] b, double[] z, double[] out) {
        for (int k = 0; k < b.length; k++) {
            double s = b[k];
            double[] wk = w[k];
            for (int j = 0; j < z.length; j++) {
                s += wk[j] * z[j];
            }
            out[k] = s;
        }
    }
}
