package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmParameters;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models whose weight tensor is larger than the 16,384 floats the model file moves at a time
 * ({@code 130 x 130 = 16,900}: one full buffer and a partial one) save, load and save again byte for
 * byte, and every parameter comes back bit for bit, the float extremes included.
 */
class LargeTensorModelFilesTest {
    private static final int UNITS = 130;

    /** Random floats with {@code -0}, the smallest subnormal and the largest finite float planted at both ends. */
    private static float[] values(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        a[0] = -0f;
        a[1] = Float.MIN_VALUE;
        a[n - 2] = -Float.MAX_VALUE;
        a[n - 1] = Float.intBitsToFloat(0x3f800001); // 1 + 1 ulp: lost by any round trip through fewer bits
        return a;
    }

    private static <M extends SavedModel> void roundTrip(M model, Path dir, IoFunction<Path, M> load,
                                                         Function<M, List<float[]>> parameters) throws IOException {
        Path first = dir.resolve("first.ebm");
        Path second = dir.resolve("second.ebm");
        model.save(first);
        try (M back = load.apply(first)) {
            List<float[]> want = parameters.apply(model);
            List<float[]> got = parameters.apply(back);
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                // assertArrayEquals on floats compares the bits (-0 and 0 differ).
                assertArrayEquals(want.get(i), got.get(i), "parameter " + i);
            }
            back.save(second);
        }
        byte[] a = Files.readAllBytes(first);
        assertTrue(a.length > 4 * UNITS * UNITS, "the file holds the whole weight tensor: " + a.length + " bytes");
        assertArrayEquals(a, Files.readAllBytes(second), "saving the loaded model writes the same bytes");
    }

    @Test
    void anRbmWithMoreThanOneBufferOfWeightsRoundTripsByteForByte(@TempDir Path dir) throws IOException {
        RbmParameters p = new RbmParameters(VisibleType.BERNOULLI, UNITS, UNITS, values(UNITS * UNITS, 1),
                values(UNITS, 2), values(UNITS, 3));
        try (Backend b = new ReferenceBackend(); Rbm rbm = Rbm.of(b, p)) {
            roundTrip(rbm, dir, path -> Rbm.load(path, b),
                    m -> List.of(m.parameters().weights(), m.parameters().visibleBias(), m.parameters().hiddenBias()));
        }
    }

    @Test
    void aDbmWithMoreThanOneBufferOfWeightsRoundTripsByteForByte(@TempDir Path dir) throws IOException {
        int[] sizes = {UNITS, UNITS, 3};
        DbmParameters p = new DbmParameters(sizes, List.of(values(UNITS * UNITS, 4), values(UNITS * 3, 5)),
                List.of(values(UNITS, 6), values(UNITS, 7), values(3, 8)));
        try (Backend b = new ReferenceBackend(); Dbm dbm = Dbm.of(b, p)) {
            roundTrip(dbm, dir, path -> Dbm.load(path, b), m -> {
                DbmParameters q = m.parameters();
                return List.of(q.weights().get(0), q.weights().get(1), q.biases().get(0), q.biases().get(1),
                        q.biases().get(2));
            });
        }
    }

    /** A loader that may fail with an {@link IOException}. */
    private interface IoFunction<T, R> {
        R apply(T t) throws IOException;
    }
}
