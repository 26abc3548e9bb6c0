package org.ebm4j.tempering;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.TrainingState;

/**
 * Parallel tempering (replica exchange) over a {@link TemperedModel}: {@code chains} independent
 * ladders of {@code M} replicas at inverse temperatures {@code 1 = b_0 > ... > b_{M-1}}. All
 * {@code M * chains} states are stacked as rows of one tensor per layer, row {@code r * chains + i}
 * holding chain {@code i} at {@code b_r}, so a sweep at every temperature is one batched call per
 * layer. After the sweeps of a {@link #step}, neighbours {@code (r, r + 1)} of each chain exchange
 * their states with the Metropolis probability {@code min(1, exp((b_r - b_{r+1}) (E_r - E_{r+1})))},
 * which leaves the product of the tempered distributions invariant; rounds alternate between the
 * pairs with {@code r} even and {@code r} odd, so the swaps of one round are independent. The rows
 * at {@code b_0 = 1} are samples of the model itself ({@link #coldRows}).
 *
 * <p>Each round takes one draw from the swap stream (a uniform per chain and pair); the sweeps take
 * what the model's sweep takes from the Gibbs stream. Same streams, same decisions on every backend
 * up to float rounding of the energies. Acceptance counts per pair are kept ({@link #swapRates}).
 * Workspaces are allocated once.
 */
public final class ParallelTempering implements AutoCloseable {
    private final TemperedModel model;
    private final Backend backend;
    private final double[] betas;
    private final int chains;
    private final int rows;
    private final Tensor[] layers;
    private final Tensor[] scratch;
    private final RowBetas rowBetas;
    private final Tensor energies;
    private final Tensor uniforms;
    private final float[] energyHost;
    private final float[] uniformHost;
    private final int[] order;
    private final long[] attempts;
    private final long[] accepts;
    private long rounds;

    /**
     * @param betas  the inverse temperatures, {@code betas[0] = 1}, strictly decreasing and positive
     *               (see {@link TemperatureLadder})
     * @param chains independent ladders ({@code >= 1})
     */
    public ParallelTempering(TemperedModel model, double[] betas, int chains) {
        this.model = Objects.requireNonNull(model, "model");
        this.betas = TemperatureLadder.of(betas).betas(betas.length);
        if (chains < 1) {
            throw new IllegalArgumentException("parallel tempering needs at least 1 chain, found " + chains);
        }
        this.backend = model.backend();
        this.chains = chains;
        this.rows = betas.length * chains;
        int[] widths = model.layerWidths();
        this.layers = new Tensor[widths.length];
        this.scratch = new Tensor[widths.length];
        for (int l = 0; l < widths.length; l++) {
            layers[l] = backend.allocate(rows, widths[l]);
            scratch[l] = backend.allocate(rows, widths[l]);
        }
        this.rowBetas = new RowBetas(backend, this.betas, chains, widths);
        this.energies = backend.allocate(rows, 1);
        this.uniforms = backend.allocate(betas.length - 1, chains);
        this.energyHost = new float[rows];
        this.uniformHost = new float[(betas.length - 1) * chains];
        this.order = new int[rows];
        this.attempts = new long[betas.length - 1];
        this.accepts = new long[betas.length - 1];
    }

    /** Replicas per chain ({@code M}). */
    public int replicas() {
        return betas.length;
    }

    /** Independent ladders. */
    public int chains() {
        return chains;
    }

    /** The inverse temperatures, a copy. */
    public double[] betas() {
        return betas.clone();
    }

    /**
     * The state of layer {@code l}, {@code (M * chains) x width}, row {@code r * chains + i} being chain
     * {@code i} at {@code betas[r]}; owned by this sampler (write into it to set a state).
     */
    public Tensor layer(int l) {
        return layers[l];
    }

    /** Starts every replica of layer {@code l} at the rows of {@code start} ({@code chains x width}). */
    public void startAll(int l, Tensor start) {
        if (start.rows() != chains || start.cols() != layers[l].cols()) {
            throw new IllegalArgumentException("start states of layer " + l + " must be " + chains + "x"
                    + layers[l].cols() + ", found " + start.shape());
        }
        int[] rowsOfStart = new int[rows];
        for (int r = 0; r < rows; r++) {
            rowsOfStart[r] = r % chains;
        }
        backend.gatherRows(start, rowsOfStart, 0, layers[l]);
    }

    /** Copies the rows at {@code beta = 1} of layer {@code l} into {@code out} ({@code chains x width}). */
    public void coldRows(int l, Tensor out) {
        int[] first = new int[chains];
        Arrays.setAll(first, i -> i);
        backend.gatherRows(layers[l], first, 0, out);
    }

    /** {@code sweeps} Gibbs sweeps at every temperature, then one round of swaps. */
    public void step(int sweeps, RandomStream gibbs, RandomStream swaps) {
        for (int s = 0; s < sweeps; s++) {
            model.sweep(layers, rowBetas, gibbs);
        }
        swapRound(swaps);
    }

    /** One round of Metropolis swaps between the neighbours {@code (r, r + 1)}, {@code r} of this round's parity. */
    public void swapRound(RandomStream swaps) {
        model.energy(layers, energies);
        energies.copyTo(energyHost);
        backend.sampler().fillUniform(uniforms, swaps);
        uniforms.copyTo(uniformHost);
        int parity = (int) (rounds & 1);
        rounds++;
        for (int q = 0; q < rows; q++) {
            order[q] = q;
        }
        boolean any = false;
        for (int r = parity; r + 1 < betas.length; r += 2) {
            double db = betas[r] - betas[r + 1];
            for (int i = 0; i < chains; i++) {
                int a = r * chains + i;
                int b = a + chains;
                double logRatio = db * ((double) energyHost[a] - energyHost[b]);
                attempts[r]++;
                // A NaN ratio compares false: the swap is refused.
                if (uniformHost[r * chains + i] < Math.exp(Math.min(0.0, logRatio))) {
                    accepts[r]++;
                    order[a] = b;
                    order[b] = a;
                    any = true;
                }
            }
        }
        if (any) {
            for (int l = 0; l < layers.length; l++) {
                backend.gatherRows(layers[l], order, 0, scratch[l]);
                backend.copy(scratch[l], layers[l]);
            }
        }
    }

    /** The accepted fraction of swaps per pair {@code (r, r + 1)} so far ({@code M - 1} values; NaN if none tried). */
    public double[] swapRates() {
        double[] rate = new double[attempts.length];
        for (int r = 0; r < rate.length; r++) {
            rate[r] = attempts[r] == 0 ? Double.NaN : accepts[r] / (double) attempts[r];
        }
        return rate;
    }

    /**
     * {@link #swapRates()} as epoch metrics: {@code swap_rate_<r>} for the pair {@code (r, r + 1)}, in
     * order of {@code r}.
     */
    public Map<String, Double> swapRateMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] rates = swapRates();
        for (int r = 0; r < rates.length; r++) {
            m.put("swap_rate_" + r, rates[r]);
        }
        return m;
    }

    /** Stores {@link #counts()} in a trainer's state as counters {@code tempering.<i>}. */
    public void saveCounts(TrainingState.Builder s) {
        long[] c = counts();
        for (int i = 0; i < c.length; i++) {
            s.counter("tempering." + i, c[i]);
        }
    }

    /** Restores what {@link #saveCounts} stored. */
    public void restoreCounts(TrainingState s) {
        long[] c = counts();
        for (int i = 0; i < c.length; i++) {
            c[i] = s.counter("tempering." + i);
        }
        restoreCounts(c);
    }

    /**
     * The counts behind {@link #swapRates} and the number of rounds, as {@code [rounds, attempts...,
     * accepts...]}: what a checkpoint stores to continue exactly.
     */
    public long[] counts() {
        long[] c = new long[1 + 2 * attempts.length];
        c[0] = rounds;
        System.arraycopy(attempts, 0, c, 1, attempts.length);
        System.arraycopy(accepts, 0, c, 1 + attempts.length, accepts.length);
        return c;
    }

    /** Restores {@link #counts()}. */
    public void restoreCounts(long[] c) {
        if (c.length != 1 + 2 * attempts.length) {
            throw new IllegalArgumentException("tempering counts must have " + (1 + 2 * attempts.length)
                    + " values for " + betas.length + " replicas, found " + c.length);
        }
        rounds = c[0];
        System.arraycopy(c, 1, attempts, 0, attempts.length);
        System.arraycopy(c, 1 + attempts.length, accepts, 0, accepts.length);
    }

    @Override
    public void close() {
        Tensor.closeAll(layers);
        Tensor.closeAll(scratch);
        Tensor.closeAll(energies, uniforms);
        rowBetas.close();
    }
}
