package org.ebm4j.energy;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Per-row-count workspaces of a model: an energy model is evaluated on a few batch shapes (the HMC
 * chains, a data minibatch, the negatives), so one workspace per row count is built on first use and
 * reused; the least recently used is closed when more than {@code capacity} shapes are live.
 */
final class RowWorkspaces<W extends AutoCloseable> implements AutoCloseable {
    private final int capacity;
    private final IntFunction<W> factory;
    private final LinkedHashMap<Integer, W> byRows = new LinkedHashMap<>(8, 0.75f, true);

    RowWorkspaces(int capacity, IntFunction<W> factory) {
        this.capacity = capacity;
        this.factory = factory;
    }

    W get(int rows) {
        W w = byRows.get(rows);
        if (w == null) {
            w = factory.apply(rows);
            byRows.put(rows, w);
            if (byRows.size() > capacity) {
                Iterator<Map.Entry<Integer, W>> it = byRows.entrySet().iterator();
                closeQuietly(it.next().getValue());
                it.remove();
            }
        }
        return w;
    }

    @Override
    public void close() {
        for (W w : byRows.values()) {
            closeQuietly(w);
        }
        byRows.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing a workspace failed: " + e.getMessage(), e);
        }
    }
}
