package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

/** The shape rules, slices and digest of {@link Dataset}. */
class DatasetTest {

    private static float[] counting(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f - 3f;
        }
        return v;
    }

    /** SHA-256 of the little-endian float32 values then int32 labels, all in one array: the digest's spec. */
    private static String digestOfWholeArray(float[] values, int[] labels) throws Exception {
        int n = values.length + (labels == null ? 0 : labels.length);
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        if (labels != null) {
            for (int l : labels) {
                b.putInt(l);
            }
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    }

    @Test
    void theDigestIsTheSha256OfTheLittleEndianValuesThenTheLabels() throws Exception {
        // The empty-input digest of SHA-256 (FIPS 180-4 test vector) anchors the reference itself.
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                digestOfWholeArray(new float[0], null));
        Dataset small = Dataset.of("s", 2, 3, counting(6));
        assertEquals(digestOfWholeArray(small.values(), null), small.sha256());
        // 20,000 floats and 20,000 labels fill the 64 KiB staging buffer more than once in each part.
        int rows = 20_000;
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = (i * 7) % 10 - 1;
        }
        Dataset big = new Dataset("b", rows, 1, counting(rows), labels, 0, 0);
        assertEquals(digestOfWholeArray(big.values(), labels), big.sha256());
        Dataset unlabelled = Dataset.of("u", rows, 1, counting(rows));
        assertNotEquals(big.sha256(), unlabelled.sha256(), "the labels are part of the digest");
    }

    @Test
    void shapesAreChecked() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of("d", 0, 2, new float[0]));
        assertEquals("d: a data set needs at least one row and one column, found 0x2", empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dataset.of("d", 2, 0, new float[0]));
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of("d", 2, 3, new float[5]));
        assertEquals("d: 2x3 needs 6 values, found 5", count.getMessage());
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("d", 2, 3, new float[6], new int[3], 0, 0));
        assertEquals("d: 2 rows but 3 labels", labels.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("d", 1, 6, new float[6], null, 2, 2));
        assertEquals("d: image shape 2x2 does not match 6 columns", shape.getMessage());
        // Only one side of the image shape given is a mismatch too (0 x 6 is not 6 pixels).
        assertThrows(IllegalArgumentException.class, () -> new Dataset("d", 1, 6, new float[6], null, 0, 6));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("d", 1, 6, new float[6], null, 6, 0));
        Dataset ok = new Dataset("d", 1, 6, new float[6], null, 2, 3);
        assertTrue(ok.isImages());
        assertEquals(2, ok.imageHeight());
        assertEquals(3, ok.imageWidth());
        assertFalse(Dataset.of("p", 1, 1, new float[1]).isImages());
    }

    @Test
    void aSliceCopiesItsRowsAndLabelsAndKeepsTheImageShape() {
        int[] labels = {4, 5, 6, 7};
        Dataset d = new Dataset("d", 4, 2, counting(8), labels, 1, 2);
        Dataset s = d.slice(1, 3);
        assertEquals("d[1:3]", s.name());
        assertEquals(2, s.rows());
        assertEquals(2, s.cols());
        assertArrayEquals(new float[] {-2f, -1.5f, -1f, -0.5f}, s.values());
        assertArrayEquals(new int[] {5, 6}, s.labels());
        assertEquals(1, s.imageHeight());
        assertEquals(2, s.imageWidth());
        s.values()[0] = 99f;
        assertEquals(-2f, d.values()[2], "the slice is a copy");
        assertEquals(4, d.slice(0, 4).rows(), "the whole range is a slice");
        assertNull(Dataset.of("u", 2, 1, new float[2]).slice(0, 1).labels());
        for (int[] bad : new int[][] {{-1, 2}, {0, 5}, {2, 2}, {3, 1}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.slice(bad[0], bad[1]));
            assertEquals("d: row range [" + bad[0] + ", " + bad[1] + ") is empty or outside [0, 4)", e.getMessage());
        }
    }

    @Test
    void otherValuesKeepTheRowsLabelsAndShape() {
        int[] labels = {1, 2};
        Dataset d = new Dataset("d", 2, 2, counting(4), labels, 2, 1);
        float[] other = {9f, 8f, 7f, 6f};
        Dataset w = d.withValues("w", other);
        assertEquals("w", w.name());
        assertArrayEquals(other, w.values());
        assertArrayEquals(labels, w.labels());
        assertEquals(2, w.imageHeight());
        assertEquals(1, w.imageWidth());
        assertEquals("w (2x2, labelled)", w.toString());
        assertEquals("p (1x3)", Dataset.of("p", 1, 3, new float[3]).toString());
        try (Tensor t = d.toTensor(new ReferenceBackend())) {
            assertEquals(2, t.rows());
            assertEquals(2, t.cols());
            assertArrayEquals(d.values(), t.toArray());
        }
    }

    @Test
    void standardizationRefusesScalesThatCannotBeInverted() {
        float[] one = {1f};
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Standardization(one, new float[] {bad}));
            assertEquals("standardization column 0 has mean 1.0 and std " + bad + "; expected finite values and std > 0",
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Standardization(new float[] {Float.NaN}, one));
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> new Standardization(new float[2], one));
        assertEquals("standardization needs one mean and one std per column, found 2 means and 1 stds", n.getMessage());
        // A spread just above the limit is kept as it is: values 0 and 4e-6 have std 2e-6 > 1e-6.
        Standardization s = Standardization.fit(Dataset.of("t", 2, 1, new float[] {0f, 4e-6f}));
        assertEquals(2e-6, s.std()[0], 1e-12);
        assertEquals(2e-6, s.mean()[0], 1e-12);
        Dataset mapped = s.apply(Dataset.of("t", 1, 1, new float[] {0f}));
        assertEquals("t (standardized)", mapped.name());
        assertEquals(-1f, mapped.values()[0], 1e-6f);
        assertEquals("t (standardized) (standardization undone)", s.invert(mapped).name());
        assertThrows(IllegalArgumentException.class, () -> s.invert(Dataset.of("e", 1, 2, new float[2])));
    }
}
