package org.ebm4j.energy;

import org.ebm4j.hmc.EnergyFunction;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.TrainingState;

/**
 * The missing entries ({@code NaN}) of a training set and their current values, one persistent
 * conditional chain per data row: every update moves the missing entries of the minibatch's rows by
 * HMC on the model's conditional {@code p(x_missing | x_observed)} ({@link ConditionalChains}), starting
 * where that row's chain last stopped. The rows so completed are samples of the conditional, so the data
 * term of the gradient, averaged over them, marginalizes the missing entries:
 * {@code d/dtheta log p(x_obs) = -E_{p(x_mis | x_obs)}[dE/dtheta] + E_p[dE/dtheta]}. Missing entries
 * start at the mean of their column's observed entries. Kept on the host ({@code N x d}, as the data).
 */
final class MissingEntries implements AutoCloseable {
    private final int rows;
    private final int d;
    private final float[] current;
    private final float[] observed;
    private final int missingCount;
    private final float[] batchHost;
    private final float[] maskHost;
    private final Tensor mask;
    private final ConditionalChains chains;

    private MissingEntries(EnergyFunction energy, float[] values, int rows, int d, int batchRows, int missingCount) {
        this.rows = rows;
        this.d = d;
        this.missingCount = missingCount;
        this.current = values;
        this.observed = new float[values.length];
        double[] sum = new double[d];
        int[] seen = new int[d];
        for (int i = 0; i < values.length; i++) {
            if (!Float.isNaN(values[i])) {
                observed[i] = 1f;
                sum[i % d] += values[i];
                seen[i % d]++;
            }
        }
        for (int j = 0; j < d; j++) {
            if (seen[j] == 0) {
                throw new IllegalArgumentException("column " + j + " of the training data is missing (NaN) in every"
                        + " row; each column needs at least one observed entry");
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (observed[i] == 0f) {
                current[i] = (float) (sum[i % d] / seen[i % d]);
            }
        }
        this.batchHost = new float[batchRows * d];
        this.maskHost = new float[batchRows * d];
        this.mask = energy.backend().allocate(batchRows, d);
        this.chains = new ConditionalChains(energy, batchRows);
    }

    /**
     * The missing entries of {@code data} ({@code N x d}, read once to the host), or null when every
     * entry is observed.
     *
     * @throws IllegalArgumentException when an entry is infinite, or a column is missing in every row
     */
    static MissingEntries of(EnergyFunction energy, Tensor data, int batchRows) {
        float[] values = data.toArray();
        int missing = 0;
        for (int i = 0; i < values.length; i++) {
            if (Float.isNaN(values[i])) {
                missing++;
            } else if (Float.isInfinite(values[i])) {
                throw infiniteEntry(i, data.cols(), values[i]);
            }
        }
        return missing == 0 ? null : new MissingEntries(energy, values, data.rows(), data.cols(), batchRows, missing);
    }

    /** The error for an infinite entry at flat index {@code i} of data {@code cols} wide. */
    static IllegalArgumentException infiniteEntry(int i, int cols, float value) {
        return new IllegalArgumentException("data entry (row " + i / cols + ", column " + i % cols + ") is " + value
                + "; entries must be finite, or NaN where missing");
    }

    /** How many entries are missing. */
    int missingCount() {
        return missingCount;
    }

    /** Writes the rows {@code indices[offset ..]} with their current values into {@code out} (its row count). */
    void gather(int[] indices, int offset, Tensor out) {
        float[] host = out.rows() == batchHost.length / d ? batchHost : new float[out.rows() * d];
        for (int i = 0; i < out.rows(); i++) {
            System.arraycopy(current, indices[offset + i] * d, host, i * d, d);
        }
        out.copyFrom(host, 0);
    }

    /**
     * Writes the minibatch {@code order[base ..]} into {@code batch} after moving its missing entries by
     * {@code trajectories} conditional HMC trajectories, and keeps the new values for those rows.
     *
     * @return the mean acceptance probability of the trajectories
     */
    double fill(int[] order, int base, Tensor batch, float stepSize, int leapfrogSteps, int trajectories,
                RandomStream rng) {
        int n = batch.rows();
        for (int i = 0; i < n; i++) {
            System.arraycopy(current, order[base + i] * d, batchHost, i * d, d);
            System.arraycopy(observed, order[base + i] * d, maskHost, i * d, d);
        }
        batch.copyFrom(batchHost, 0);
        mask.copyFrom(maskHost, 0);
        double acceptance = chains.move(batch, mask, stepSize, leapfrogSteps, trajectories, rng);
        batch.copyTo(batchHost, 0);
        for (int i = 0; i < n; i++) {
            int row = order[base + i] * d;
            for (int j = 0; j < d; j++) {
                if (observed[row + j] == 0f) {
                    current[row + j] = batchHost[i * d + j];
                }
            }
        }
        return acceptance;
    }

    /** Array {@code missing_fill}: the current values of every row ({@code N x d}), which the chains continue from. */
    void save(TrainingState.Builder s) {
        s.array("missing_fill", rows, d, current.clone());
    }

    void restore(TrainingState s) {
        float[] saved = s.array("missing_fill", rows, d);
        for (int i = 0; i < current.length; i++) {
            if (observed[i] == 0f) {
                current[i] = saved[i];
            }
        }
    }

    @Override
    public void close() {
        chains.close();
        mask.close();
    }
}
