package org.ebm4j.rbm;

import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tempering.RowBetas;
import org.ebm4j.tempering.TemperedModel;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A Bernoulli RBM as a {@link TemperedModel}: the state is the layers {@code (v, h)}, a sweep
 * samples {@code h ~ sigmoid(beta (v W + c))} and then {@code v ~ sigmoid(beta (h W^T + b))}, and the
 * energy is the joint {@code E(v, h) = -b.v - c.h - v W h}. Both half-steps leave
 * {@code p_beta(v, h) ~ exp(-beta E(v, h))} invariant, so the swaps of
 * {@link org.ebm4j.tempering.ParallelTempering} may use the joint energy. Workspaces for
 * {@code rows} stacked states are allocated once.
 */
public final class TemperedRbm implements TemperedModel, AutoCloseable {
    private final Rbm rbm;
    private final Backend backend;
    private final Tensor preVisible;
    private final Tensor preHidden;
    private final Tensor scratch;

    /** @param rows the number of stacked states ({@code replicas * chains}) it will sweep */
    public TemperedRbm(Rbm rbm, int rows) {
        this.rbm = Objects.requireNonNull(rbm, "rbm");
        if (rbm.visibleType() != VisibleType.BERNOULLI) {
            throw new IllegalArgumentException("parallel tempering needs Bernoulli visible units, found "
                    + rbm.visibleType().id());
        }
        this.backend = rbm.backend();
        this.preVisible = backend.allocate(rows, rbm.visible());
        this.preHidden = backend.allocate(rows, rbm.hidden());
        this.scratch = backend.allocate(rows, 1);
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public int[] layerWidths() {
        return new int[] {rbm.visible(), rbm.hidden()};
    }

    @Override
    public void sweep(Tensor[] layers, RowBetas betas, RandomStream rng) {
        Tensor v = layers[0];
        Tensor h = layers[1];
        rbm.hiddenInput(v, preHidden);
        backend.addRowVector(preHidden, rbm.hiddenBias(), 1f, preHidden);
        betas.scale(preHidden);
        backend.sampler().sampleSigmoidBernoulli(preHidden, null, 1f, null, h, rng);
        rbm.visibleInput(h, preVisible);
        backend.addRowVector(preVisible, rbm.visibleBias(), 1f, preVisible);
        betas.scale(preVisible);
        backend.sampler().sampleSigmoidBernoulli(preVisible, null, 1f, null, v, rng);
    }

    @Override
    public void energy(Tensor[] layers, Tensor out) {
        rbm.energy(layers[0], layers[1], preHidden, scratch, out);
    }

    @Override
    public void close() {
        preVisible.close();
        preHidden.close();
        scratch.close();
    }
}
