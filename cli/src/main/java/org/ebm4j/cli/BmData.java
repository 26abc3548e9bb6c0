package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.ExactBoltzmann;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.Dataset;

/**
 * The training data of {@code ebm bm}: the built-in bars-and-stripes set or a CSV of binary rows, in
 * the machine's unit values, with the measures that need it (probability mass and match rate).
 *
 * @param values row-major {@code rows x cols}
 * @param side   the bars-and-stripes grid side, or 0 for a CSV
 */
record BmData(String name, float[] values, int rows, int cols, int side, UnitValues units) {
    static final String BARS_AND_STRIPES = "bars-and-stripes";

    static BmData load(String spec, int side, UnitValues units) throws IOException {
        if (spec.equalsIgnoreCase(BARS_AND_STRIPES) || spec.equalsIgnoreCase("bas")) {
            float[] v = BarsAndStripes.patterns(side, units);
            return new BmData(BARS_AND_STRIPES, v, BarsAndStripes.count(side), side * side, side, units);
        }
        Dataset d = BinaryRows.read(Path.of(spec), units);
        return new BmData(spec, d.values(), d.rows(), d.cols(), 0, units);
    }

    boolean isBarsAndStripes() {
        return side > 0;
    }

    /** The best possible mean log-likelihood: minus the entropy of the rows' empirical distribution. */
    double optimumLogLikelihood() {
        Map<String, Integer> counts = counts();
        double ll = 0;
        for (int c : counts.values()) {
            double q = (double) c / rows;
            ll += q * Math.log(q);
        }
        return ll;
    }

    /** The exact probability the model puts on the distinct data rows (needs {@code cols <= 20}). */
    double exactDataMass(ExactBoltzmann exact) {
        double[] pv = exact.visibleProbabilities();
        double mass = 0;
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int r = 0; r < rows; r++) {
            int idx = 0;
            for (int i = 0; i < cols; i++) {
                if (values[r * cols + i] == units.high()) {
                    idx |= 1 << i;
                }
            }
            if (seen.add(idx)) {
                mass += pv[idx];
            }
        }
        return mass;
    }

    /** The fraction of sample rows that are valid bars-and-stripes images, or equal to some data row (CSV). */
    double matchFraction(float[] samples) {
        if (isBarsAndStripes()) {
            return BarsAndStripes.validFraction(samples, side, units);
        }
        Map<String, Integer> counts = counts();
        int hits = 0;
        int n = samples.length / cols;
        for (int r = 0; r < n; r++) {
            if (counts.containsKey(key(samples, r))) {
                hits++;
            }
        }
        return (double) hits / n;
    }

    /** How many distinct data rows (or valid images) occur among the samples. */
    int distinctMatches(float[] samples) {
        Map<String, Integer> counts = counts();
        java.util.Set<String> hit = new java.util.HashSet<>();
        for (int r = 0; r < samples.length / cols; r++) {
            String k = key(samples, r);
            if (counts.containsKey(k)) {
                hit.add(k);
            }
        }
        return hit.size();
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> m = new HashMap<>();
        for (int r = 0; r < rows; r++) {
            m.merge(key(values, r), 1, Integer::sum);
        }
        return m;
    }

    private String key(float[] v, int row) {
        StringBuilder sb = new StringBuilder(cols);
        for (int i = 0; i < cols; i++) {
            sb.append(v[row * cols + i] == units.high() ? '1' : '0');
        }
        return sb.toString();
    }
}
