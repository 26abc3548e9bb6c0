package org.ebm4j.dbn;

import org.ebm4j.tensor.Backend;
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
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, found " + batch);
        }
        int k = net.classes();
        long[][] confusion = new long[k][k];
        int errors = 0;
        Backend b = net.backend();
        int full = Math.min(batch, n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        float[] pred = new float[full];
        try (Tensor xb = b.allocate(full, x.cols()); Classifier.Workspace ws = net.workspace(full)) {
            for (int off = 0; off < n; off += full) {
                int rows = Math.min(full, n - off);
                if (rows == full) {
                    b.gatherRows(x, idx, off, xb);
                    net.predict(xb, ws);
                    ws.predictions().copyTo(pred, 0);
                } else {
                    try (Tensor xt = b.allocate(rows, x.cols()); Classifier.Workspace wt = net.workspace(rows)) {
                        b.gatherRows(x, idx, off, xt);
                        net.predict(xt, wt);
                        wt.predictions().copyTo(pred, 0);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    int truth = labels[off + r];
                    if (truth < 0 || truth >= k) {
                        throw new IllegalArgumentException("label " + truth + " of row " + (off + r) + " is outside [0, "
                                + k + ")");
                    }
                    int p = (int) pred[r];
                    confusion[truth][p]++;
                    if (p != truth) {
                        errors++;
                    }
                }
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
