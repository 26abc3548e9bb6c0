package org.ebm4j.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.ebm4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused optimizer steps against the unfused sequences they replace, on every kernel set with a
 * thread team: the CPU backend sums each column in row order in both, so the results must be equal
 * to the bit, not merely close (the contract suite allows other backends an ulp).
 */
class FusedUpdateParityTest extends OnEveryKernelSet {
    @Override
    protected int threads() {
        return 3;
    }

    @Test
    void biasMomentumStepIsBitIdenticalToColumnSumsColumnSumsAxpy() {
        int[][] shapes = {{100, 784, 100}, {37, 500, 1000}, {1, 1, 1}, {1000, 33, 7}};
        float[] keeps = {0.9f, 0f, 0.5f, 0.5f};
        for (int c = 0; c < shapes.length; c++) {
            int rows = shapes[c][0];
            int cols = shapes[c][1];
            int modelRows = shapes[c][2];
            float[] data = TestBackends.uniform(rows * cols, 0, 1, c + 1);
            float[] model = TestBackends.uniform(modelRows * cols, 0, 1, c + 11);
            float[] velocity = TestBackends.uniform(cols, -1, 1, c + 21);
            float[] parameter = TestBackends.uniform(cols, -2, 2, c + 31);
            float ds = 0.05f / rows;
            float ms = -0.05f / modelRows;
            for (CpuBackend b : backends) {
                Tensor d = b.fromArray(data, rows, cols);
                Tensor m = b.fromArray(model, modelRows, cols);
                Tensor v1 = b.fromArray(velocity, 1, cols);
                Tensor p1 = b.fromArray(parameter, 1, cols);
                Tensor v2 = b.fromArray(velocity, 1, cols);
                Tensor p2 = b.fromArray(parameter, 1, cols);
                b.biasMomentumStep(d, ds, m, ms, keeps[c], v1, p1);
                b.columnSums(d, ds, keeps[c], v2);
                b.columnSums(m, ms, 1f, v2);
                b.axpy(1f, v2, p2);
                String what = b.kernels().name() + " " + rows + "x" + cols + " / " + modelRows;
                assertArrayEquals(v2.toArray(), v1.toArray(), "velocity " + what);
                assertArrayEquals(p2.toArray(), p1.toArray(), "parameter " + what);
            }
        }
    }

    @Test
    void momentumStepIsBitIdenticalToItsAxpysAcrossChunks() {
        int n = 784 * 500;
        float[] velocity = TestBackends.uniform(n, -1, 1, 41);
        float[] parameter = TestBackends.uniform(n, -1, 1, 42);
        for (CpuBackend b : backends) {
            Tensor v1 = b.fromArray(velocity, 784, 500);
            Tensor p1 = b.fromArray(parameter, 784, 500);
            Tensor v2 = b.fromArray(velocity, 784, 500);
            Tensor p2 = b.fromArray(parameter, 784, 500);
            b.momentumStep(-2e-4f, v1, p1);
            b.axpy(-2e-4f, p2, v2);
            b.axpy(1f, v2, p2);
            assertArrayEquals(v2.toArray(), v1.toArray(), "velocity " + b.kernels().name());
            assertArrayEquals(p2.toArray(), p1.toArray(), "parameter " + b.kernels().name());
        }
    }
}
