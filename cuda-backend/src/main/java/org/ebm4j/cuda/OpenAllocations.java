package org.ebm4j.cuda;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The device allocations a backend has handed out and not yet freed. Whoever removes an allocation
 * frees it, so each is freed exactly once: by its own close, or by the backend's close when it is
 * still open then (the primary context outlives the backend while another backend or cuBLAS holds
 * it, so memory left behind would leak until the process exits).
 *
 * @param <T> the allocation type (compared by identity)
 */
final class OpenAllocations<T> {
    private final Set<T> open = new LinkedHashSet<>();

    void add(T allocation) {
        open.add(allocation);
    }

    /** Whether {@code allocation} was still open: then the caller frees it; otherwise it is freed already. */
    boolean remove(T allocation) {
        return open.remove(allocation);
    }

    int size() {
        return open.size();
    }

    /**
     * Closes every allocation still open with {@code close} (which must {@link #remove} it), in the
     * order they were opened; a failure is thrown after all were tried.
     *
     * @return how many were still open
     */
    int closeAll(Consumer<T> close) {
        List<T> left = new ArrayList<>(open);
        RuntimeException failure = null;
        for (T t : left) {
            try {
                close.accept(t);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            open.remove(t);
        }
        if (failure != null) {
            throw failure;
        }
        return left.size();
    }
}
