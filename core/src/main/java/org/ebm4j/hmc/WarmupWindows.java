package org.ebm4j.hmc;

import java.util.ArrayList;
import java.util.List;

/**
 * Stan's warm-up schedule for metric (mass matrix) adaptation: a fast initial buffer where only the
 * step size adapts (default 75 iterations), then slow windows whose sizes double from 25, then a
 * terminal buffer (default 50) where the step size adapts to the final metric. The last slow window
 * is stretched to reach the terminal buffer. Warm-ups too short for the defaults use 15% / 75% /
 * 10%, as Stan does; below 20 iterations there are no windows.
 */
public final class WarmupWindows {
    /** One slow window: iterations {@code start..end} inclusive, 0-based. */
    public record Window(int start, int end) {
        public int length() {
            return end - start + 1;
        }
    }

    private final List<Window> windows;

    public WarmupWindows(int warmup) {
        this(warmup, 75, 25, 50);
    }

    public WarmupWindows(int warmup, int initBuffer, int baseWindow, int termBuffer) {
        if (warmup < 0 || initBuffer < 0 || baseWindow < 1 || termBuffer < 0) {
            throw new IllegalArgumentException("warm-up schedule needs warmup >= 0, buffers >= 0, base window >= 1; found "
                    + warmup + ", " + initBuffer + ", " + baseWindow + ", " + termBuffer);
        }
        List<Window> list = new ArrayList<>();
        if (warmup >= 20) {
            if (initBuffer + baseWindow + termBuffer > warmup) {
                initBuffer = (int) (0.15 * warmup);
                termBuffer = (int) (0.1 * warmup);
                baseWindow = warmup - (initBuffer + termBuffer);
            }
            int lastEnd = warmup - termBuffer - 1;
            int start = initBuffer;
            int size = baseWindow;
            while (start <= lastEnd) {
                int end = start + size - 1;
                // Stretch this window to the terminal buffer when the next (twice as long) would not fit.
                if (end >= lastEnd || end + 2 * size > lastEnd) {
                    end = lastEnd;
                }
                list.add(new Window(start, end));
                start = end + 1;
                size *= 2;
            }
        }
        this.windows = List.copyOf(list);
    }

    public List<Window> windows() {
        return windows;
    }

    /** Whether iteration {@code it}'s position is collected for the metric estimate. */
    public boolean collects(int it) {
        for (Window w : windows) {
            if (it >= w.start() && it <= w.end()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a slow window ends at iteration {@code it} (the metric is then updated). */
    public boolean endsWindow(int it) {
        for (Window w : windows) {
            if (it == w.end()) {
                return true;
            }
        }
        return false;
    }
}
