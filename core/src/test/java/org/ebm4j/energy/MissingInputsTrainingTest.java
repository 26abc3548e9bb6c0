package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Dataset;
import org.ebm4j.hmc.RunningMoments;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class MissingInputsTrainingTest {
    private static final float X1 = 0.3f;

    // Positive unit scales and the quadratic term make E >= 0.25 |x|^2 + const: the conditional of x2
    // has Gaussian tails, so a grid on [-12, 12] holds all but exp(-30) of its mass.
    private static EnergyNetwork tinyNetwork(Backend b) {
        EnergyNetwork net = new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(3, Activation.SOFTPLUS)), 0.5);
        net.initialize(StreamId.ENERGY_INIT.open(8), 2.0, 0.5);
        return net;
    }

    // sum_r w[r] dE(rows[r])/dtheta, every parameter flattened in order.
    private static double[] weightedGradient(EnergyNetwork net, Tensor rows, Tensor weights) {
        Backend b = net.backend();
        List<Tensor> grads = new ArrayList<>();
        try {
            for (Tensor p : net.parameters()) {
                Tensor g = b.allocate(p.rows(), p.cols());
                b.fill(g, 0f);
                grads.add(g);
            }
            net.accumulateParameterGradient(rows, weights, grads);
            List<Double> flat = new ArrayList<>();
            for (Tensor g : grads) {
                for (float v : g.toArray()) {
                    flat.add((double) v);
                }
            }
            return flat.stream().mapToDouble(Double::doubleValue).toArray();
        } finally {
            grads.forEach(Tensor::close);
        }
    }

    /**
     * The data term with x2 missing is E_{p(x2 | x1)}[dE/dtheta]. By quadrature: a 1e-3 grid over [-12, 12]
     * of x2 weighted by exp(-E) (the integrand is smooth and its tails negligible, so the grid's error is far
     * below the Monte Carlo error). By the trainer's own sampler: conditional HMC on the missing entry.
     */
    @Test
    void theDataGradientWithAMissingEntryIsItsConditionalExpectationByQuadrature() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = tinyNetwork(b)) {
            int m = 24001;
            float[] grid = new float[2 * m];
            for (int g = 0; g < m; g++) {
                grid[2 * g] = X1;
                grid[2 * g + 1] = -12f + g * 1e-3f;
            }
            double[] exact;
            try (Tensor q = b.fromArray(grid, m, 2); Tensor e = b.allocate(m, 1)) {
                net.energy(q, e);
                float[] energies = e.toArray();
                double low = Double.POSITIVE_INFINITY;
                for (float v : energies) {
                    low = Math.min(low, v);
                }
                double z = 0;
                double[] p = new double[m];
                for (int g = 0; g < m; g++) {
                    p[g] = Math.exp(-(energies[g] - low));
                    z += p[g];
                }
                float[] w = new float[m];
                for (int g = 0; g < m; g++) {
                    w[g] = (float) (p[g] / z);
                }
                try (Tensor wt = b.fromArray(w, m, 1)) {
                    exact = weightedGradient(net, q, wt);
                }
            }

            // 128 chains, 50 trajectories of burn-in, then 200 draws in 20 blocks of 10: the block means
            // are close to independent (each trajectory nearly decorrelates a 1-d conditional), so their
            // spread gives the Monte Carlo standard error without trusting the chains to be independent
            // draw by draw.
            int chains = 128;
            int blocks = 20;
            int perBlock = 10;
            float[] start = new float[2 * chains];
            float[] observed = new float[2 * chains];
            for (int c = 0; c < chains; c++) {
                start[2 * c] = X1;
                observed[2 * c] = 1f;
            }
            RandomStream rng = StreamId.ENERGY_FILL.open(5);
            RunningMoments blockMeans = null;
            try (Tensor x = b.fromArray(start, chains, 2); Tensor mask = b.fromArray(observed, chains, 2);
                 Tensor ones = b.allocate(chains, 1)) {
                b.fill(ones, 1f / (chains * perBlock));
                double burnAcceptance = MissingInputs.sample(net, x, mask, 0.4f, 8, 50, rng);
                assertTrue(burnAcceptance > 0.5, "the conditional chains move: acceptance " + burnAcceptance);
                for (int k = 0; k < blocks; k++) {
                    float[] block = new float[exact.length];
                    for (int t = 0; t < perBlock; t++) {
                        MissingInputs.sample(net, x, mask, 0.4f, 8, 1, rng);
                        double[] g = weightedGradient(net, x, ones);
                        for (int i = 0; i < g.length; i++) {
                            block[i] += (float) g[i];
                        }
                    }
                    if (blockMeans == null) {
                        blockMeans = new RunningMoments(block.length);
                    }
                    blockMeans.addRows(block, 1);
                }
                float[] after = x.toArray();
                for (int c = 0; c < chains; c++) {
                    assertEquals(X1, after[2 * c], 0, "the observed entry stays bit for bit");
                }
            }
            // Bound: 5 standard errors (t with 19 degrees of freedom: two-sided tail below 1e-4 per
            // component, so the ~20 components together fail by chance well below 1%), plus 1e-5 for the
            // float32 sums behind each gradient.
            double[] mean = blockMeans.mean();
            double[] var = blockMeans.variance();
            for (int i = 0; i < exact.length; i++) {
                double se = Math.sqrt(var[i] / blocks);
                assertEquals(exact[i], mean[i], 5 * se + 1e-5, "gradient component " + i + " (se " + se + ")");
            }
        }
    }

    @Test
    void fitTrainsOnDataWithMissingEntriesAndReportsTheFillAcceptance() {
        Backend b = new ReferenceBackend();
        Dataset data = EnergyModelTest.squaresWithMissingEntries();
        List<Map<String, Double>> reports = new ArrayList<>();
        TrainingListener l = TrainingListener.forReports(r -> reports.add(r.metrics()));
        EnergyOptions o = EnergyModelTest.small(EnergyOptions.Model.NETWORK).toBuilder().fillTrajectories(2).build();
        try (EnergyModel m = EnergyModel.fit(b, data, o, Checkpointing.none(), l)) {
            assertEquals(3, reports.size());
            for (Map<String, Double> r : reports) {
                double a = r.get("fill_acceptance");
                assertTrue(a > 0 && a <= 1, "fill acceptance " + a);
            }
            for (double v : m.moments().mean()) {
                assertTrue(Double.isFinite(v), "the moments leave the missing entries out");
            }
            assertTrue(m.provenance().get("draw.energy_fill") != null, "the fill stream's position is recorded");
        }
    }

    @Test
    void infiniteEntriesAndColumnsMissingEverywhereAreRefused() {
        Backend b = new ReferenceBackend();
        float nan = Float.NaN;
        EnergyOptions o = EnergyModelTest.small(EnergyOptions.Model.NETWORK);
        Dataset inf = Dataset.of("inf", 20, 2, filled(20, 2, 5, Float.POSITIVE_INFINITY));
        assertEquals("data entry (row 2, column 1) is Infinity; entries must be finite, or NaN where missing",
                assertThrows(IllegalArgumentException.class, () -> EnergyModel.fit(b, inf, o, Checkpointing.none()))
                        .getMessage());
        float[] v = filled(20, 2, -1, 0f);
        for (int r = 0; r < 20; r++) {
            v[2 * r + 1] = nan;
        }
        Dataset blind = Dataset.of("blind", 20, 2, v);
        assertEquals("column 1 of the data is missing (NaN) in every row; each column needs at least one observed entry",
                assertThrows(IllegalArgumentException.class, () -> EnergyModel.fit(b, blind, o, Checkpointing.none()))
                        .getMessage());
    }

    // rows x cols values r + 0.1 c, with `special` at index `at` (none when at < 0).
    private static float[] filled(int rows, int cols, int at, float special) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / cols + 0.1f * (i % cols);
        }
        if (at >= 0) {
            v[at] = special;
        }
        return v;
    }
}
