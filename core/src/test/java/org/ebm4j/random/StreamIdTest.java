package org.ebm4j.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamIdTest {

    @Test
    void noTwoStreamsShareAnId() {
        List<String> collisions = new ArrayList<>();
        StreamId[] all = StreamId.values();
        for (int i = 0; i < all.length; i++) {
            for (int j = i + 1; j < all.length; j++) {
                if (all[i].overlaps(all[j])) {
                    collisions.add(all[i] + " [" + all[i].id() + ", +" + all[i].count() + ") overlaps " + all[j] + " ["
                            + all[j].id() + ", +" + all[j].count() + ")");
                }
            }
        }
        assertTrue(collisions.isEmpty(), String.join("\n", collisions));
    }

    @Test
    void overlapIsExactAtRangeEdges() {
        // HOPFIELD_PATTERNS covers [0x10000, 0x20000): its neighbours below and above must not touch it.
        StreamId r = StreamId.HOPFIELD_PATTERNS;
        assertTrue(r.overlaps(r));
        for (StreamId s : StreamId.values()) {
            boolean inside = s.id() < r.id() + r.count() && r.id() < s.id() + s.count();
            assertEquals(inside, r.overlaps(s), s.toString());
        }
    }

    @Test
    void idsFitTheCounterWordAndAreNonNegative() {
        for (StreamId s : StreamId.values()) {
            assertTrue(s.id() >= 0 && s.count() >= 1, s.toString());
            assertTrue((long) s.id() + s.count() - 1 <= Integer.MAX_VALUE, s.toString());
        }
    }

    @Test
    void openGivesTheStreamAtDrawZero() {
        RandomStream a = StreamId.RBM_SAMPLING.open(42);
        assertEquals(42, a.seed());
        assertEquals(StreamId.RBM_SAMPLING.id(), a.streamId());
        assertEquals(0, a.drawIndex());
        assertEquals(StreamId.DBN_LAYER_SAMPLE.id() + 3, StreamId.DBN_LAYER_SAMPLE.open(1, 3).streamId());
        a.nextDraw();
        RandomStream replay = a.at(0);
        assertEquals(42, replay.seed());
        assertEquals(a.streamId(), replay.streamId());
        assertEquals(0, replay.drawIndex());
        assertEquals(1, a.drawIndex(), "the original keeps its position");
    }

    @Test
    void indexOutsideTheRangeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamId.DBN_LAYER_SAMPLE.open(1, StreamId.DBN_LAYER_SAMPLE.count()));
        assertTrue(e.getMessage().contains("DBN_LAYER_SAMPLE covers 64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StreamId.RBM_SAMPLING.open(1, 1));
        assertThrows(IllegalArgumentException.class, () -> StreamId.RBM_SAMPLING.open(1, -1));
        assertFalse(StreamId.RBM_SAMPLING.overlaps(StreamId.RBM_SHUFFLE));
    }

    @Test
    void aDrawBlockStartsAtItsIndexTimesTwoToThe32() {
        RandomStream b = StreamId.BM_EVALUATION.openBlock(7, 3);
        assertEquals(7, b.seed());
        assertEquals(StreamId.BM_EVALUATION.id(), b.streamId());
        assertEquals(3L << 32, b.drawIndex());
        assertEquals(0, StreamId.BM_EVALUATION.openBlock(7, 0).drawIndex());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamId.BM_EVALUATION.openBlock(7, -1));
        assertEquals("BM_EVALUATION: draw block must be >= 0, found -1", e.getMessage());
    }
}
