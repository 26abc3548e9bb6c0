package org.ebm4j.hmc;

import java.util.function.DoubleUnaryOperator;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A one-dimensional energy evaluated on the host, so a test can give it infinities and NaNs. It holds
 * no tensors; closing it is a no-op that lets the tests open it with the chains.
 */
final class HostEnergy implements EnergyFunction, AutoCloseable {
    private final Backend backend;
    private final DoubleUnaryOperator u;
    private final DoubleUnaryOperator du;

    HostEnergy(Backend backend, DoubleUnaryOperator u, DoubleUnaryOperator du) {
        this.backend = backend;
        this.u = u;
        this.du = du;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public int dimension() {
        return 1;
    }

    @Override
    public void energyAndGradient(Tensor q, Tensor energy, Tensor gradient) {
        checkOutputs("HostEnergy", q, energy, gradient);
        float[] x = q.toArray();
        float[] e = new float[x.length];
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = (float) u.applyAsDouble(x[i]);
            g[i] = (float) du.applyAsDouble(x[i]);
        }
        if (energy != null) {
            energy.copyFrom(e);
        }
        if (gradient != null) {
            gradient.copyFrom(g);
        }
    }

    @Override
    public void close() {
    }
}

