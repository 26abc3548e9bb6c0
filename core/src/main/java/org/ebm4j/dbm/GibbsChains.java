package org.ebm4j.dbm;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;

/**
 * Binary states of every layer of a DBM for a number of chains (rows), and the block-Gibbs sweep
 * that updates them: all odd layers given the even ones, then all even layers (the visible one
 * included) given the odd ones, each layer in one fused bias + sigmoid + Bernoulli call. Odd layers
 * are conditionally independent given the even layers (and vice versa), so each half-sweep samples
 * its layers exactly.
 */
final class GibbsChains implements AutoCloseable {
    private final Dbm dbm;
    private final LayerScales scales;
    private final Backend backend;
    private final Sampler sampler;
    /** {@code x[l]}: layer {@code l}'s states, {@code chains x sizes[l]}. */
    final Tensor[] x;
    private final Tensor[] pre;

    GibbsChains(Dbm dbm, LayerScales scales, int chains) {
        this.dbm = dbm;
        this.scales = scales;
        this.backend = dbm.backend();
        this.sampler = backend.sampler();
        int[] sizes = dbm.sizes();
        x = new Tensor[sizes.length];
        pre = new Tensor[sizes.length];
        for (int l = 0; l < sizes.length; l++) {
            x[l] = backend.allocate(chains, sizes[l]);
            pre[l] = backend.allocate(chains, sizes[l]);
        }
    }

    int chains() {
        return x[0].rows();
    }

    /** One sweep: odd layers, then even layers; one draw of {@code rng} per layer. */
    void sweep(RandomStream rng) {
        for (int parity = 1; parity >= 0; parity--) {
            for (int l = parity; l < x.length; l += 2) {
                dbm.layerInput(x, l, scales, pre[l]);
                sampler.sampleSigmoidBernoulli(pre[l], dbm.bias(l), 1f, null, x[l], rng);
            }
        }
    }

    /** {@code probs = p(x_l = 1 | neighbours)} for the chains' current states. */
    void probabilities(int l, Tensor probs) {
        dbm.layerInput(x, l, scales, pre[l]);
        backend.sigmoid(pre[l], dbm.bias(l), probs);
    }

    @Override
    public void close() {
        for (int l = 0; l < x.length; l++) {
            x[l].close();
            pre[l].close();
        }
    }
}
