package org.ebm4j.dbm;

import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tempering.RowBetas;
import org.ebm4j.tempering.TemperedModel;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A DBM as a {@link TemperedModel}: the state is one row per layer, a sweep samples all odd layers
 * and then all even layers, each from {@code sigmoid(beta (b_l + x_{l-1} W_l + x_{l+1} W_{l+1}'))},
 * and the energy is the joint {@code E(x) = -sum_l b_l . x_l - sum_{l>=1} x_{l-1}' W_l x_l}. Given the
 * even layers the odd ones are independent (and vice versa) at every temperature, so each half-sweep
 * samples its layers exactly from {@code p_beta(x) ~ exp(-beta E(x))} and the swaps of
 * {@link org.ebm4j.tempering.ParallelTempering} may use the joint energy. Workspaces for {@code rows}
 * stacked states are allocated once.
 */
final class TemperedDbm implements TemperedModel, AutoCloseable {
    private final Dbm dbm;
    private final Backend backend;
    private final Tensor[] pre;
    private final Tensor scratch;

    /** @param rows the number of stacked states ({@code replicas * chains}) it will sweep */
    TemperedDbm(Dbm dbm, int rows) {
        this.dbm = Objects.requireNonNull(dbm, "dbm");
        this.backend = dbm.backend();
        int[] sizes = dbm.sizes();
        pre = new Tensor[sizes.length];
        for (int l = 0; l < sizes.length; l++) {
            pre[l] = backend.allocate(rows, sizes[l]);
        }
        scratch = backend.allocate(rows, 1);
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public int[] layerWidths() {
        return dbm.sizes();
    }

    @Override
    public void sweep(Tensor[] layers, RowBetas betas, RandomStream rng) {
        for (int parity = 1; parity >= 0; parity--) {
            for (int l = parity; l < layers.length; l += 2) {
                dbm.layerInput(layers, l, pre[l]);
                backend.addRowVector(pre[l], dbm.bias(l), 1f, pre[l]);
                betas.scale(pre[l]);
                backend.sampler().sampleSigmoidBernoulli(pre[l], null, 1f, null, layers[l], rng);
            }
        }
    }

    @Override
    public void energy(Tensor[] layers, Tensor out) {
        backend.gemm(false, true, -1f, layers[0], dbm.bias(0), 0f, out);
        for (int l = 1; l < layers.length; l++) {
            backend.gemm(false, true, -1f, layers[l], dbm.bias(l), 1f, out);
            backend.gemm(false, false, 1f, layers[l - 1], dbm.weights(l), 0f, pre[l]);
            backend.mul(pre[l], layers[l], pre[l]);
            backend.rowSums(pre[l], scratch);
            backend.axpy(-1f, scratch, out);
        }
    }

    @Override
    public void close() {
        Tensor.closeAll(pre);
        scratch.close();
    }
}
