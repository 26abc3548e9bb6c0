package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RowWorkspaces}: one workspace per row count, the least recently used closed beyond the capacity. */
class RowWorkspacesTest {

    /** A workspace that records its row count and how often it was closed. */
    static final class Counted implements AutoCloseable {
        final int rows;
        int closes;

        Counted(int rows) {
            this.rows = rows;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    @Test
    void workspacesAreReusedUpToTheCapacityAndTheLeastRecentlyUsedIsClosedBeyondIt() {
        List<Counted> built = new ArrayList<>();
        RowWorkspaces<Counted> ws = new RowWorkspaces<>(2, rows -> {
            Counted c = new Counted(rows);
            built.add(c);
            return c;
        });
        Counted one = ws.get(1);
        Counted two = ws.get(2);
        assertSame(one, ws.get(1), "two row counts fit a capacity of 2");
        assertEquals(2, built.size());
        assertEquals(0, one.closes + two.closes);
        Counted three = ws.get(3); // 2 is now the least recently used
        assertEquals(1, two.closes);
        assertEquals(0, one.closes);
        assertSame(one, ws.get(1));
        assertSame(three, ws.get(3));
        Counted twoAgain = ws.get(2); // 1 is now the least recently used
        assertNotSame(two, twoAgain);
        assertEquals(1, one.closes);
        assertEquals(4, built.size());
        ws.close();
        ws.close();
        assertEquals(List.of(1, 1, 1, 1), built.stream().map(c -> c.closes).toList(),
                "each workspace is closed once, however often the set is closed");
    }

    @Test
    void aFailedCloseIsReportedWithItsCause() {
        RowWorkspaces<AutoCloseable> ws = new RowWorkspaces<>(1, rows -> () -> {
            throw new Exception("disk gone");
        });
        ws.get(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ws.get(2));
        assertEquals("closing a workspace failed: disk gone", e.getMessage());
    }
}
