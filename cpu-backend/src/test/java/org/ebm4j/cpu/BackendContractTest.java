package org.ebm4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The argument rules of the SPI on this backend: shape errors name the op and both shapes and
 * leave outputs (and the random stream) untouched; closed tensors give IllegalStateException;
 * tensors of another backend and nulls give IllegalArgumentException; data movement works.
 */
class BackendContractTest extends OnEveryKernelSet {
    private static void rejects(String what, Executable call, Tensor out, String... fragments) {
        float[] before = out.toArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, what);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), what + ": message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        assertArrayEquals(before, out.toArray(), what + ": output changed although the call was rejected");
    }

    @Test
    void shapeMismatchesNameBothShapes() {
        for (CpuBackend b : backends) {
            Sampler s = b.sampler();
            Tensor x = b.fromArray(TestBackends.gaussian(12, 1, 1), 3, 4);
            Tensor wrong = b.fromArray(TestBackends.gaussian(12, 1, 2), 4, 3);
            Tensor out = b.fromArray(TestBackends.gaussian(12, 1, 3), 3, 4);
            Tensor row3 = b.allocate(1, 3);
            Tensor col4 = b.fromArray(TestBackends.gaussian(4, 1, 4), 4, 1);
            RandomStream rng = new RandomStream(1);
            rejects("add", () -> b.add(x, wrong, out), out, "add", "3x4", "4x3");
            rejects("sub", () -> b.sub(x, x, wrong), wrong, "sub", "3x4", "4x3");
            rejects("mul", () -> b.mul(wrong, x, out), out, "mul", "4x3", "3x4");
            rejects("scale", () -> b.scale(2f, x, wrong), wrong, "scale", "3x4", "4x3");
            rejects("axpy", () -> b.axpy(2f, x, wrong), wrong, "axpy", "3x4", "4x3");
            rejects("copy", () -> b.copy(x, wrong), wrong, "copy", "3x4", "4x3");
            rejects("addRowVector", () -> b.addRowVector(x, row3, 1f, out), out, "addRowVector", "1x4", "1x3");
            rejects("sigmoid", () -> b.sigmoid(x, row3, out), out, "sigmoid", "1x4", "1x3");
            rejects("threshold", () -> b.threshold(x, 0f, 0f, 1f, wrong), wrong, "threshold", "3x4", "4x3");
            rejects("columnSums", () -> b.columnSums(x, 1f, 0f, row3), row3, "columnSums", "1x4", "1x3");
            rejects("rowSums", () -> b.rowSums(x, col4), col4, "rowSums", "3x1", "4x1");
            rejects("softplusRowSums", () -> b.softplusRowSums(x, null, 1f, col4), col4, "softplusRowSums", "3x1");
            rejects("rowSquaredNorms", () -> b.rowSquaredNorms(x, row3, col4), col4, "rowSquaredNorms", "1x4", "1x3");
            rejects("dot", () -> b.dot(x, wrong), x, "dot", "3x4", "4x3");
            rejects("sampleBernoulli", () -> s.sampleBernoulli(x, wrong, rng), wrong, "sampleBernoulli", "3x4", "4x3");
            rejects("sampleSigmoidBernoulli", () -> s.sampleSigmoidBernoulli(x, null, 1f, wrong, out, rng), out,
                    "sampleSigmoidBernoulli", "3x4", "4x3");
            rejects("sampleSigmoidBernoulli bias", () -> s.sampleSigmoidBernoulli(x, row3, 1f, null, out, rng), out,
                    "1x4", "1x3");
            rejects("sampleGaussian", () -> s.sampleGaussian(x, row3, 1f, out, rng), out, "sampleGaussian", "1x3");
            rejects("leapfrog", () -> s.leapfrog(x, out, wrong, null, 1f, 1f), out, "leapfrog", "3x4", "4x3");
            rejects("metropolisSelect", () -> s.metropolisSelect(x, col4, out, col4, col4, rng), col4,
                    "metropolisSelect", "3x1", "4x1");
            rejects("updateUnit", () -> s.updateUnit(x, out, b.allocate(3, 3), 0, UnitRule.threshold(-1, 1), null, rng),
                    out, "updateUnit", "4x4", "3x3");
            rejects("updateUnit unit", () -> s.updateUnit(x, out, b.allocate(4, 4), 4, UnitRule.threshold(-1, 1), null,
                    null), out, "unit 4", "[0, 4)");
            rejects("sampleSigmoidBernoulli probs==samples", () -> s.sampleSigmoidBernoulli(x, null, 1f, out, out, rng),
                    out, "different tensors");
            assertEquals(0, rng.drawIndex(), "rejected calls take no draw");
        }
    }

    @Test
    void closedTensorsAreRejected() {
        for (CpuBackend b : backends) {
            Tensor x = b.allocate(2, 2);
            Tensor out = b.allocate(2, 2);
            x.close();
            x.close(); // idempotent
            assertTrue(x.isClosed());
            assertThrows(IllegalStateException.class, () -> b.add(x, out, out));
            assertThrows(IllegalStateException.class, () -> b.sigmoid(out, null, x));
            assertThrows(IllegalStateException.class, () -> b.sum(x));
            assertThrows(IllegalStateException.class, () -> b.sampler().fillUniform(x, new RandomStream(1)));
            assertThrows(IllegalStateException.class, () -> b.gemm(false, false, 1f, x, out, 0f, b.allocate(2, 2)));
            assertThrows(IllegalStateException.class, x::toArray);
            assertThrows(IllegalStateException.class, () -> ((CpuTensor) x).data());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.copy(out, x));
            assertTrue(e.getMessage().contains("dst") && e.getMessage().contains("close"), e.getMessage());
        }
    }

    @Test
    void foreignAndNullTensorsAreRejected() {
        try (CpuBackend other = new CpuBackend(KernelSelection.select("scalar"), 1)) {
            for (CpuBackend b : backends) {
                Tensor mine = b.allocate(2, 2);
                Tensor theirs = other.allocate(2, 2);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add(mine, theirs, mine));
                assertTrue(e.getMessage().contains("belongs to backend"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> b.sampler().fillNormal(theirs, 0, 1, new RandomStream(1)));
                e = assertThrows(IllegalArgumentException.class, () -> b.add(mine, null, mine));
                assertTrue(e.getMessage().contains("'b' is null"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> b.sampler().fillUniform(mine, null));
            }
        }
    }

    @Test
    void closedBackendIsRejected() {
        CpuBackend b = new CpuBackend(KernelSelection.select("scalar"), 2);
        Tensor t = b.allocate(2, 2);
        b.close();
        b.close();
        assertThrows(IllegalStateException.class, () -> b.allocate(1, 1));
        assertThrows(IllegalStateException.class, () -> b.fill(t, 1f));
    }

    @Test
    void dataMovement() {
        for (CpuBackend b : backends) {
            float[] data = TestBackends.gaussian(35, 1, 7);
            Tensor t = b.fromArray(data, 5, 7);
            assertEquals("5x7", t.shape());
            assertArrayEquals(data, t.toArray());
            Tensor z = b.allocate(5, 7);
            assertArrayEquals(new float[35], z.toArray(), "allocate zero-fills");
            b.copy(t, z);
            assertArrayEquals(data, z.toArray());
            b.fill(z, 2.5f);
            for (float v : z.toArray()) {
                assertEquals(2.5f, v);
            }
            Tensor g = b.allocate(3, 7);
            int[] idx = {9, 4, 0, 2, 9};
            b.gatherRows(t, idx, 1, g);
            float[] got = g.toArray();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 7; j++) {
                    assertEquals(data[idx[1 + i] * 7 + j], got[i * 7 + j]);
                }
            }
            float[] before = g.toArray();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.gatherRows(t, idx, 2, g));
            assertTrue(e.getMessage().contains("rowIndices[4] = 9") && e.getMessage().contains("[0, 5)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.gatherRows(t, idx, 3, g));
            assertTrue(e.getMessage().contains("length 5"), e.getMessage());
            assertArrayEquals(before, g.toArray(), "rejected gather leaves dst untouched");
            assertThrows(IllegalArgumentException.class, () -> b.fromArray(new float[5], 2, 3));
            assertThrows(IllegalArgumentException.class, () -> b.allocate(0, 3));
        }
    }
}
