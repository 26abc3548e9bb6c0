package org.ebm4j.rbm;

import org.ebm4j.tensor.Tensor;

/** Average log-likelihood {@code (1/n) sum_r log p(v_r) = -(1/n) sum_r F(v_r) - log Z}, in nats per example. */
public final class LogLikelihood {
    private LogLikelihood() {
    }

    /** The average log-likelihood of the rows of {@code data} given {@code logZ}. */
    public static double average(Rbm rbm, Tensor data, double logZ) {
        return -FreeEnergies.mean(rbm, data) - logZ;
    }
}
