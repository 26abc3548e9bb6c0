package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Checks a {@link TrainableEnergy}'s backend energy, {@code dE/dx} and row-weighted {@code dE/dtheta}
 * against central finite differences of a double-precision reference of the same energy.
 */
final class EnergyGradientCheck {
    /** The energy of one point from host copies of the parameters (in the model's order). */
    interface Reference {
        double energy(List<double[]> params, double[] x);
    }

    private EnergyGradientCheck() {
    }

    static List<double[]> hostParams(TrainableEnergy m) {
        List<double[]> out = new ArrayList<>();
        for (Tensor t : m.parameters()) {
            float[] f = t.toArray();
            double[] dd = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                dd[i] = f[i];
            }
            out.add(dd);
        }
        return out;
    }

    /**
     * @param xs {@code n x d} points, row-major
     * @param cs per-row loss weights
     * @param tol relative tolerance (float rounding of the backend against double differences)
     */
    static void check(TrainableEnergy model, Reference ref, float[] xs, float[] cs, double tol) {
        Backend b = model.backend();
        int d = model.dimension();
        int n = cs.length;
        List<double[]> params = hostParams(model);
        double h = 1e-5;
        try (Tensor x = b.fromArray(xs, n, d);
             Tensor e = b.allocate(n, 1);
             Tensor g = b.allocate(n, d);
             Tensor c = b.fromArray(cs, n, 1)) {
            model.energyAndGradient(x, e, g);
            float[] es = e.toArray();
            float[] gs = g.toArray();
            for (int r = 0; r < n; r++) {
                double[] row = row(xs, r, d);
                double expected = ref.energy(params, row);
                assertEquals(expected, es[r], tol * (1 + Math.abs(expected)), model.kind() + " energy of row " + r);
                for (int i = 0; i < d; i++) {
                    double[] up = row.clone();
                    double[] dn = row.clone();
                    up[i] += h;
                    dn[i] -= h;
                    double fd = (ref.energy(params, up) - ref.energy(params, dn)) / (2 * h);
                    assertEquals(fd, gs[r * d + i], 10 * tol * (1 + Math.abs(fd)),
                            model.kind() + " dE/dx[" + r + "," + i + "]");
                }
            }
            List<Tensor> grads = new ArrayList<>();
            for (Tensor p : model.parameters()) {
                grads.add(b.allocate(p.rows(), p.cols()));
            }
            try {
                model.accumulateParameterGradient(x, c, grads);
                model.accumulateParameterGradient(x, c, grads); // accumulates: twice the gradient
                for (int k = 0; k < params.size(); k++) {
                    float[] got = grads.get(k).toArray();
                    for (int i = 0; i < got.length; i++) {
                        double fd = 0;
                        double keep = params.get(k)[i];
                        for (int r = 0; r < n; r++) {
                            double[] row = row(xs, r, d);
                            params.get(k)[i] = keep + h;
                            double up = ref.energy(params, row);
                            params.get(k)[i] = keep - h;
                            double dn = ref.energy(params, row);
                            params.get(k)[i] = keep;
                            fd += cs[r] * (up - dn) / (2 * h);
                        }
                        assertEquals(2 * fd, got[i], 20 * tol * (1 + Math.abs(fd)),
                                model.kind() + " dE/d" + model.parameterNames().get(k) + "[" + i + "]");
                    }
                }
            } finally {
                grads.forEach(Tensor::close);
            }
        }
    }

    private static double[] row(float[] xs, int r, int d) {
        double[] row = new double[d];
        for (int i = 0; i < d; i++) {
            row[i] = xs[r * d + i];
        }
        return row;
    }
}
