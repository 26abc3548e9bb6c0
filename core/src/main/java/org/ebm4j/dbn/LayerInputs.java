package org.ebm4j.dbn;

import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The training data of a DBN's next layer during greedy pretraining: the previous layer's hidden
 * probabilities {@code p(h | v)} for every data row or, when asked, one Bernoulli sample of them
 * (drawn once: layer {@code i}'s samples from {@link StreamId#DBN_LAYER_SAMPLE} stream {@code i} under
 * the run's seed).
 */
final class LayerInputs {
    private LayerInputs() {
    }

    /**
     * Propagates {@code data} ({@code n x nv}) through {@code rbm}: returns a new {@code n x nh}
     * tensor of hidden probabilities, or of samples of them when {@code sample} is set.
     */
    static Tensor propagate(Rbm rbm, Tensor data, boolean sample, RandomStream rng) {
        Backend b = rbm.backend();
        Tensor out = b.allocate(data.rows(), rbm.hidden());
        if (sample) {
            try (Tensor pre = b.allocate(data.rows(), rbm.hidden())) {
                rbm.sampleHidden(data, pre, null, out, rng);
            }
        } else {
            rbm.hiddenProbabilities(data, out, out);
        }
        return out;
    }

    /** The input of layer {@code layer}: {@code data} propagated through layers {@code 0 .. layer-1}. */
    static Tensor forLayer(Dbn dbn, Tensor data, int layer, boolean sample, long seed) {
        Backend b = dbn.backend();
        Tensor cur = b.allocate(data.rows(), data.cols());
        b.copy(data, cur);
        for (int i = 0; i < layer; i++) {
            Tensor next = propagate(dbn.layer(i), cur, sample, StreamId.DBN_LAYER_SAMPLE.open(seed, i));
            cur.close();
            cur = next;
        }
        return cur;
    }
}
