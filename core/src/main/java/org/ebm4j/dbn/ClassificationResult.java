package org.ebm4j.dbn;

import org.ebm4j.tensor.Tensor;

/**
 * Test error and per-class confusion counts of a {@link Classifier} on labelled data.
 *
 * @param confusion {@code confusion[trueClass][predictedClass]} counts
 * @param examples  number of examples evaluated
 * @param errors    misclassified examples
 */
public record ClassificationResult(long[][] confusion, int examples, int errors) {

    /** Fraction misclassified. */
    public double errorRate() {
        return examples == 0 ? Double.NaN : (double) errors / examples;
    }

    /**
     * Classifies the rows of {@code x} ({@code n x net.inputs()}) in batches of {@code batch} rows and
     * compares with {@code labels} ({@code n} values in {@code [0, classes)}).
     */
    public static ClassificationResult evaluate(Classifier net, Tensor x, int[] labels, int batch) {
        int n = x.rows();
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " rows but " + labels.length + " labels");
        }
        int k = net.classes();
        int[] predicted = net.classify(x, batch);
        long[][] confusion = new long[k][k];
        int errors = 0;
        for (int r = 0; r < n; r++) {
            int truth = labels[r];
            if (truth < 0 || truth >= k) {
                throw new IllegalArgumentException("label " + truth + " of row " + r + " is outside [0, " + k + ")");
            }
            confusion[truth][predicted[r]]++;
            if (predicted[r] != truth) {
                errors++;
            }
        }
        return new ClassificationResult(confusion, n, errors);
    }

    /** One-hot rows for {@code labels} ({@code n x classes}, row-major), for the fine-tuning targets. */
    public static float[] oneHot(int[] labels, int classes) {
        float[] t = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is outside [0, " + classes
                        + ")");
            }
            t[i * classes + labels[i]] = 1f;
        }
        return t;
    }
}
