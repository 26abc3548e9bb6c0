package org.ebm4j.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Backends for the tests: every kernel set that can run in this JVM, and awkward shapes and data. */
final class TestBackends {
    private TestBackends() {
    }

    /** The sizes the issue asks every op to be checked on. */
    static final int[] SIZES = {1, 3, 7, 16, 33, 100, 257, 784, 1000};

    /** rows x cols pairs built from {@link #SIZES}: squares, tall, wide and the RBM shapes. */
    static final int[][] SHAPES = {
        {1, 1}, {1, 3}, {3, 1}, {3, 7}, {7, 16}, {16, 33}, {33, 100}, {100, 33}, {7, 257}, {257, 7},
        {16, 784}, {100, 257}, {1000, 3}, {3, 1000}, {33, 1000}, {100, 784}, {1000, 16},
    };

    /** {@link #SHAPES} as the arguments {@code (rows, cols)} of an {@link EveryShape} test. */
    static Stream<Arguments> shapes() {
        return Stream.of(SHAPES).map(s -> Arguments.of(s[0], s[1]));
    }

    /** The kernel sets available here: scalar always, vector when the incubator module is present. */
    static List<KernelSelection> selections() {
        List<KernelSelection> list = new ArrayList<>();
        list.add(KernelSelection.select("scalar"));
        if (KernelSelection.vectorModulePresent()) {
            list.add(KernelSelection.select("vector"));
        }
        return list;
    }

    /** One single-threaded backend per available kernel set. */
    static List<CpuBackend> backends() {
        return backends(1);
    }

    static List<CpuBackend> backends(int threads) {
        List<CpuBackend> list = new ArrayList<>();
        for (KernelSelection s : selections()) {
            list.add(new CpuBackend(s, threads));
        }
        return list;
    }

    static void closeAll(List<CpuBackend> backends) {
        for (CpuBackend b : backends) {
            b.close();
        }
    }

    /** Normal values times {@code scale}, fixed seed. */
    static float[] gaussian(int n, double scale, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    static float[] uniform(int n, double lo, double hi, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    /** 2^-24: one float rounding, relative. */
    static final double EPS = 0x1p-24;

    static String label(CpuBackend b, int rows, int cols) {
        return b.kernels().name() + " " + rows + "x" + cols;
    }
}
