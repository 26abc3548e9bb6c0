package org.ebm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ebm4j.testing.NoLeakedTensors;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeakedTensors.class)
class ShapesTest {
    private final Backend backend = new ReferenceBackend();
    private final Tensor a = backend.allocate(3, 7);
    private final Tensor b = backend.allocate(7, 16);
    private final Tensor c = backend.allocate(3, 16);

    @AfterEach
    void close() {
        a.close();
        b.close();
        c.close();
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void dimensions() {
        assertEquals("tensor dimensions must be positive, found 0x3", message(() -> Shapes.checkDimensions(0, 3)));
        assertEquals("tensor dimensions must be positive, found 3x0", message(() -> Shapes.checkDimensions(3, 0)));
        Shapes.checkDimensions(1, 1);
        assertEquals("tensor 65536x65536 has 4294967296 elements; at most 2147483639 are supported",
                message(() -> Shapes.checkDimensions(65536, 65536)));
        Shapes.checkDimensions(1, Integer.MAX_VALUE - 8);
    }

    @Test
    void usable() {
        assertEquals("gemm: tensor 'a' is null; expected a tensor of backend 'reference'", message(() -> Shapes.checkUsable(backend, "gemm", "a", null)));
        Backend other = new ReferenceBackend();
        Tensor foreign = other.allocate(1, 1);
        assertEquals("add: tensor 'b' belongs to backend 'reference' (another instance), not this one",
                message(() -> Shapes.checkUsable(backend, "add", "b", foreign)));
        foreign.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Shapes.checkUsable(other, "add", "b", foreign));
        assertEquals("add: tensor 'b' (1x1) was used after close(); expected an open tensor", e.getMessage());
        Shapes.checkUsable(backend, "add", "a", a);
    }

    @Test
    void shapeMessagesNameTheOperationAndBothShapes() {
        assertEquals("add: a is 3x7 but b is 7x16; they must have the same shape",
                message(() -> Shapes.checkSameShape("add", "a", a, "b", b)));
        assertEquals("rowSums: out must be 3x1 but is 3x16", message(() -> Shapes.checkShape("rowSums", "out", c, 3, 1)));
        assertEquals("sigmoid: bias must be 1x7 to match x 3x7 but is 3x16",
                message(() -> Shapes.checkRowVector("sigmoid", "bias", c, "x", a)));
        assertEquals("rowSums: out must be 3x1 to match x 3x7 but is 3x16",
                message(() -> Shapes.checkColumnVector("rowSums", "out", c, "x", a)));
        assertEquals("fillNormal: stddev must be finite but is NaN",
                message(() -> Shapes.checkFinite("fillNormal", "stddev", Float.NaN)));
        try (Tensor same = backend.allocate(3, 7)) {
            Shapes.checkSameShape("add", "a", a, "c", same);
        }
        Shapes.checkShape("x", "c", c, 3, 16);
        Shapes.checkFinite("x", "v", -1e30f);
    }

    @Test
    void gemmShapesInAllFourTransposeCases() {
        Shapes.checkGemm("gemm", false, a, false, b, c);
        try (Tensor at = backend.allocate(7, 3); Tensor bt = backend.allocate(16, 7)) {
            Shapes.checkGemm("gemm", true, at, false, b, c);
            Shapes.checkGemm("gemm", false, a, true, bt, c);
            Shapes.checkGemm("gemm", true, at, true, bt, c);
            assertEquals("gemm: op(a) is 3x7 (a is 3x7) but op(b) is 16x7 (b is 16x7); the inner dimensions must agree",
                    message(() -> Shapes.checkGemm("gemm", false, a, false, bt, c)));
            assertEquals("gemm: op(a) is 7x3 (a is 3x7, transposed) but op(b) is 7x16 (b is 7x16); the inner dimensions"
                    + " must agree", message(() -> Shapes.checkGemm("gemm", true, a, false, b, c)));
            assertEquals("gemm: c must be 3x16 to hold op(a) * op(b) (a is 7x3, transposed, b is 16x7, transposed) but is"
                    + " 3x7", message(() -> Shapes.checkGemm("gemm", true, at, true, bt, a)));
        }
    }
}
