package org.ebm4j.tempering;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Independent binary units in fixed fields, {@code E(x) = -sum_l sum_j f_lj x_lj}: the smallest
 * real {@link TemperedModel}. Its sweep samples every unit from {@code sigmoid(beta f_lj)}, which is
 * exactly its conditional at {@code beta}; its energy is computed on the host in double and stored
 * as float, so a test can recompute the very energies the sampler compares.
 */
record FieldModel(Backend backend, float[]... fields) implements TemperedModel {

    @Override
    public int[] layerWidths() {
        int[] w = new int[fields.length];
        for (int l = 0; l < w.length; l++) {
            w[l] = fields[l].length;
        }
        return w;
    }

    @Override
    public void sweep(Tensor[] layers, RowBetas betas, RandomStream rng) {
        for (int l = 0; l < layers.length; l++) {
            int rows = layers[l].rows();
            int w = fields[l].length;
            float[] pre = new float[rows * w];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(fields[l], 0, pre, r * w, w);
            }
            try (Tensor p = backend.fromArray(pre, rows, w)) {
                betas.scale(p);
                backend.sampler().sampleSigmoidBernoulli(p, null, 1f, null, layers[l], rng);
            }
        }
    }

    @Override
    public void energy(Tensor[] layers, Tensor out) {
        float[][] host = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            host[l] = layers[l].toArray();
        }
        out.copyFrom(energies(host, out.rows()));
    }

    /** The energies of the {@code rows} stacked states held, layer by layer, in {@code layers}. */
    float[] energies(float[][] layers, int rows) {
        float[] e = new float[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int l = 0; l < layers.length; l++) {
                int w = fields[l].length;
                for (int j = 0; j < w; j++) {
                    s -= (double) fields[l][j] * layers[l][r * w + j];
                }
            }
            e[r] = (float) s;
        }
        return e;
    }
}
