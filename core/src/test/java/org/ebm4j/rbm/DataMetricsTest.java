package org.ebm4j.rbm;

import static org.ebm4j.rbm.HostRbm.flat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** Pseudo-likelihood, reconstruction error, free energies and log-likelihood against brute force. */
class DataMetricsTest {
    private final Backend backend = new ReferenceBackend();

    private static double[][] rows(int n, int nv, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[][] d = new double[n][nv];
        for (double[] row : d) {
            for (int i = 0; i < nv; i++) {
                row[i] = r.nextBoolean() ? 1 : 0;
            }
        }
        return d;
    }

    @Test
    void pseudoLikelihoodMatchesBruteForce() {
        int nv = 7;
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, nv, 5, 1.0, 0.5, 12);
        HostRbm host = new HostRbm(p);
        // 1203 rows: one chunk (the chunked path is pseudoLikelihoodOverSeveralChunksAndATail).
        double[][] d = rows(1203, nv, 2);
        double want = 0;
        for (double[] v : d) {
            double f = host.freeEnergyByEnumeration(v);
            for (int i = 0; i < nv; i++) {
                double[] flipped = v.clone();
                flipped[i] = 1 - flipped[i];
                double gap = host.freeEnergyByEnumeration(flipped) - f;
                want += Math.log(1 / (1 + Math.exp(-gap)));
            }
        }
        want /= d.length * (double) nv;
        try (Rbm rbm = Rbm.of(backend, p); Tensor data = backend.fromArray(flat(d), d.length, nv)) {
            assertEquals(want, PseudoLikelihood.mean(rbm, data), 1e-5);
        }
    }

    @Test
    void pseudoLikelihoodRejectsNonBinaryData() {
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, 3, 2, 1.0, 0.5, 1);
        try (Rbm rbm = Rbm.of(backend, p); Tensor data = backend.fromArray(new float[] {0, 0.5f, 1}, 1, 3)) {
            assertThrows(IllegalArgumentException.class, () -> PseudoLikelihood.mean(rbm, data));
        }
    }

    @Test
    void reconstructionErrorFreeEnergyAndLikelihoodMatchBruteForce() {
        int nv = 6;
        int nh = 4;
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, nv, nh, 1.0, 0.5, 4);
        HostRbm host = new HostRbm(p);
        double[][] d = rows(2500, nv, 5);
        double recon = 0;
        double fe = 0;
        for (double[] v : d) {
            double[] ph = new double[nh];
            for (int j = 0; j < nh; j++) {
                ph[j] = host.hiddenProb(v, j);
            }
            for (int i = 0; i < nv; i++) {
                double e = v[i] - host.visibleMean(ph, i);
                recon += e * e;
            }
            fe += host.freeEnergyByEnumeration(v);
        }
        recon /= d.length;
        fe /= d.length;
        double logZ = host.logZByJointSum();
        try (Rbm rbm = Rbm.of(backend, p); Tensor data = backend.fromArray(flat(d), d.length, nv)) {
            assertEquals(recon, ReconstructionError.mean(rbm, data), 1e-5);
            assertEquals(fe, FreeEnergies.mean(rbm, data), 1e-5);
            assertEquals(-fe - logZ, LogLikelihood.average(rbm, data, ExactLogPartition.compute(rbm)), 1e-4);
            double[] each = FreeEnergies.values(rbm, data);
            assertEquals(host.freeEnergyByEnumeration(d[2499]), each[2499], 1e-5);
        }
    }

    /**
     * The chunked path: a chunk holds {@code 2^22 / (nv nh) = 4194304 / 35 = 119837} rows here, so
     * {@code 2 * 119837 + 1000} rows run two full chunks and a tail of 1000. Each row's
     * pseudo-likelihood comes from brute-force enumeration, memoized over the 128 possible rows;
     * a chunk that read the wrong rows or dropped the tail changes the mean by far more than 1e-5
     * (the rows are random, and the per-row values spread over about a nat).
     */
    @Test
    void pseudoLikelihoodOverSeveralChunksAndATail() {
        int nv = 7;
        int nh = 5;
        int perChunk = (1 << 22) / (nv * nh);
        assertEquals(119_837, perChunk);
        int n = 2 * perChunk + 1000;
        RbmParameters p = HostRbm.random(VisibleType.BERNOULLI, nv, nh, 1.0, 0.5, 13);
        HostRbm host = new HostRbm(p);
        double[] perPattern = new double[1 << nv];
        java.util.Arrays.fill(perPattern, Double.NaN);
        java.util.Random r = new java.util.Random(5);
        float[] flat = new float[n * nv];
        double want = 0;
        double lowest = 0;
        for (int k = 0; k < n; k++) {
            // The tail's rows lean towards ones, so that it differs from the chunks before it.
            double on = k >= 2 * perChunk ? 0.8 : 0.4;
            int pattern = 0;
            double[] v = new double[nv];
            for (int i = 0; i < nv; i++) {
                if (r.nextDouble() < on) {
                    v[i] = 1;
                    flat[k * nv + i] = 1f;
                    pattern |= 1 << i;
                }
            }
            if (Double.isNaN(perPattern[pattern])) {
                double f = host.freeEnergyByEnumeration(v);
                double sum = 0;
                for (int i = 0; i < nv; i++) {
                    double[] flipped = v.clone();
                    flipped[i] = 1 - flipped[i];
                    sum += Math.log(1 / (1 + Math.exp(-(host.freeEnergyByEnumeration(flipped) - f))));
                }
                perPattern[pattern] = sum;
            }
            want += perPattern[pattern];
            lowest = Math.min(lowest, perPattern[pattern]);
        }
        want /= (double) n * nv;
        assertTrue(lowest < want * nv - 1, "the rows must differ enough for a misread to show");
        try (Rbm rbm = Rbm.of(backend, p); Tensor data = backend.fromArray(flat, n, nv)) {
            assertEquals(want, PseudoLikelihood.mean(rbm, data), 1e-5);
        }
    }
}
