package org.ebm4j.boltzmann;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.ebm4j.data.Dataset;

/**
 * The empirical distribution of a binary data set: its distinct rows and how often each occurs.
 * Gives the best mean log-likelihood any model can reach on the data (minus its entropy), the
 * probability mass a small machine puts on the data rows (by enumeration) and how many of a
 * machine's samples are data rows, the measures of how well a Boltzmann machine fits its data.
 * For bars-and-stripes, whose rows are every valid image once, "a data row" means "a valid image".
 */
public final class EmpiricalDistribution {
    private final int rows;
    private final int cols;
    private final UnitValues units;
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, float[]> distinct = new HashMap<>();

    private EmpiricalDistribution(Dataset data, UnitValues units) {
        this.rows = data.rows();
        this.cols = data.cols();
        this.units = units;
        float[] v = data.values();
        for (int r = 0; r < rows; r++) {
            String k = key(v, r);
            if (counts.merge(k, 1, Integer::sum) == 1) {
                distinct.put(k, Arrays.copyOfRange(v, r * cols, r * cols + cols));
            }
        }
    }

    /** The distribution of {@code data}'s rows, read as {@code units} values (see {@link UnitValues#encode}). */
    public static EmpiricalDistribution of(Dataset data, UnitValues units) {
        return new EmpiricalDistribution(units.encode(data), units);
    }

    /** Rows of the data. */
    public int rows() {
        return rows;
    }

    /** Values per row. */
    public int cols() {
        return cols;
    }

    /** How many rows are distinct. */
    public int distinctRows() {
        return counts.size();
    }

    /**
     * The best mean log-likelihood in nats that any model can reach on the data: {@code sum_x q(x) ln q(x)}
     * over the empirical distribution {@code q}, minus its entropy.
     */
    public double negativeEntropy() {
        double ll = 0;
        for (int c : counts.values()) {
            double q = (double) c / rows;
            ll += q * Math.log(q);
        }
        return ll;
    }

    /** The exact probability {@code sum p(v)} that {@code exact} puts on the distinct data rows. */
    public double massUnder(ExactBoltzmann exact) {
        if (exact.visible() != cols) {
            throw new IllegalArgumentException("the machine has " + exact.visible() + " visible units but the data rows have "
                    + cols + " values");
        }
        double mass = 0;
        double[] v = new double[cols];
        for (float[] row : distinct.values()) {
            for (int i = 0; i < cols; i++) {
                v[i] = row[i];
            }
            mass += Math.exp(exact.logProbabilityOfVisible(v));
        }
        return mass;
    }

    /** The fraction of the sample rows ({@code samples} row-major, {@code cols} per row) equal to some data row. */
    public double matchFraction(float[] samples) {
        int n = sampleRows(samples);
        int hits = 0;
        for (int r = 0; r < n; r++) {
            if (counts.containsKey(key(samples, r))) {
                hits++;
            }
        }
        return (double) hits / n;
    }

    /** How many distinct data rows occur among the sample rows. */
    public int distinctMatches(float[] samples) {
        int n = sampleRows(samples);
        Set<String> hit = new HashSet<>();
        for (int r = 0; r < n; r++) {
            String k = key(samples, r);
            if (counts.containsKey(k)) {
                hit.add(k);
            }
        }
        return hit.size();
    }

    private int sampleRows(float[] samples) {
        if (samples.length == 0 || samples.length % cols != 0) {
            throw new IllegalArgumentException("samples must hold a positive multiple of " + cols + " values (one row per "
                    + "sample) but hold " + samples.length);
        }
        return samples.length / cols;
    }

    private String key(float[] v, int row) {
        StringBuilder sb = new StringBuilder(cols);
        for (int i = 0; i < cols; i++) {
            sb.append(v[row * cols + i] == units.high() ? '1' : '0');
        }
        return sb.toString();
    }
}
