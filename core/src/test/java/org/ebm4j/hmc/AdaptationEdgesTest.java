package org.ebm4j.hmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebm4j.hmc.WarmupWindows.Window;
import org.junit.jupiter.api.Test;

/** The warm-up schedule and dual averaging at the edges of their settings and inputs. */
class AdaptationEdgesTest {

    /**
     * Buffers 10 and 10, base window 5 in 100 iterations: windows of 5, 10, 20, then 40 stretched to
     * the terminal buffer (the next, 80, would not fit before iteration 89).
     */
    @Test
    void customBuffersGiveDoublingWindowsWithTheLastStretched() {
        WarmupWindows w = new WarmupWindows(100, 10, 5, 10);
        assertEquals(List.of(new Window(10, 14), new Window(15, 24), new Window(25, 44), new Window(45, 89)),
                w.windows());
        assertEquals(List.of(5, 10, 20, 45), w.windows().stream().map(Window::length).toList());
        // Iterations 10..89 are collected and 14, 24, 44, 89 end windows; nothing else.
        for (int it = 0; it < 100; it++) {
            assertEquals(it >= 10 && it <= 89, w.collects(it), "collects " + it);
            assertEquals(it == 14 || it == 24 || it == 44 || it == 89, w.endsWindow(it), "ends a window at " + it);
        }
    }

    /**
     * At exactly 20 iterations the proportional buffers apply (15% = 3, 10% = 2) and one window fills
     * the rest; at 150 the defaults (75 + 25 + 50) just fit; at 149 they do not (22 / 14 / 113).
     */
    @Test
    void theScheduleSwitchesAtItsThresholds() {
        assertEquals(List.of(new Window(3, 17)), new WarmupWindows(20).windows());
        assertEquals(List.of(new Window(75, 99)), new WarmupWindows(150).windows());
        assertEquals(List.of(new Window(22, 134)), new WarmupWindows(149).windows());
        assertTrue(new WarmupWindows(0, 0, 1, 0).windows().isEmpty());
        assertFalse(new WarmupWindows(0, 0, 1, 0).collects(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WarmupWindows(100, 10, 0, 10));
        assertEquals("warm-up schedule needs warmup >= 0, buffers >= 0, base window >= 1; found 100, 10, 0, 10",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WarmupWindows(-1));
        assertThrows(IllegalArgumentException.class, () -> new WarmupWindows(100, -1, 5, 10));
        assertThrows(IllegalArgumentException.class, () -> new WarmupWindows(100, 10, 5, -1));
        // Zero buffers are allowed: the windows start at 0 and end at the last iteration.
        assertEquals(List.of(new Window(0, 24), new Window(25, 99)), new WarmupWindows(100, 0, 25, 0).windows());
    }

    /**
     * A window that exactly fills the room left before the terminal buffer is kept whole: with buffers 5
     * and 0 in 20 iterations, 5..9 is followed by 10..19 (twice as long, ending at the last iteration),
     * not stretched to 5..19. Room for one iteration still gives a window of one.
     */
    @Test
    void aNextWindowThatFitsExactlyIsNotMerged() {
        assertEquals(List.of(new Window(5, 9), new Window(10, 19)), new WarmupWindows(20, 5, 5, 0).windows());
        assertEquals(List.of(new Window(10, 10)), new WarmupWindows(20, 10, 1, 9).windows());
        assertTrue(new WarmupWindows(20, 10, 1, 9).endsWindow(10));
    }

    /** A NaN acceptance statistic counts as 0 and a negative one as 0, the same step as an observed 0. */
    @Test
    void dualAveragingClampsTheAcceptanceStatistic() {
        DualAveraging zero = new DualAveraging(0.8, 0.05, 0.75, 10);
        DualAveraging nan = new DualAveraging(0.8, 0.05, 0.75, 10);
        DualAveraging negative = new DualAveraging(0.8, 0.05, 0.75, 10);
        double z = zero.update(0);
        assertEquals(z, nan.update(Double.NaN), 0.0);
        assertEquals(z, negative.update(-3), 0.0);
        // From step size 1: mu = log 10, H = 0.8 / 11, x = mu - H / 0.05.
        assertEquals(Math.exp(Math.log(10) - (0.8 / 11) / 0.05), z, 1e-12);
    }

    /** Before any update the final step size is the restart's; a restart forgets the iterations so far. */
    @Test
    void dualAveragingRestartsCleanly() {
        DualAveraging da = new DualAveraging(0.6, 0.05, 1.0, 0);
        assertEquals(1.0, da.finalStepSize(), 1e-12);
        assertEquals(0.6, da.target());
        da.update(0.1);
        da.update(0.9);
        da.restart(0.3);
        assertEquals(0.3, da.finalStepSize(), 1e-12);
        // First iteration after the restart, with t0 = 0 and kappa = 1: eta = 1, H = 0.6 - 0.2,
        // x = log 3 - 0.4 / 0.05, and the average is that iterate (weight 1).
        double x = Math.log(3) - 0.4 / 0.05;
        assertEquals(Math.exp(x), da.update(0.2), 1e-12);
        assertEquals(Math.exp(x), da.finalStepSize(), 1e-12);
    }

    @Test
    void dualAveragingNamesEachBadSetting() {
        assertEquals("target acceptance must lie in (0, 1), found 0.0", assertThrows(IllegalArgumentException.class,
                () -> new DualAveraging(0, 0.05, 0.75, 10)).getMessage());
        assertEquals("dual-averaging gamma must be finite and > 0, found Infinity",
                assertThrows(IllegalArgumentException.class,
                        () -> new DualAveraging(0.8, Double.POSITIVE_INFINITY, 0.75, 10)).getMessage());
        assertEquals("dual-averaging kappa must lie in (0.5, 1], found 1.0000000000000002",
                assertThrows(IllegalArgumentException.class,
                        () -> new DualAveraging(0.8, 0.05, Math.nextUp(1.0), 10)).getMessage());
        assertEquals("dual-averaging t0 must be finite and >= 0, found -1.0", assertThrows(IllegalArgumentException.class,
                () -> new DualAveraging(0.8, 0.05, 0.75, -1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DualAveraging(0.8, 0.05, 0.75, Double.NaN));
        assertEquals("step size must be finite and > 0, found Infinity", assertThrows(IllegalArgumentException.class,
                () -> DualAveraging.withDefaults().restart(Double.POSITIVE_INFINITY)).getMessage());
    }
}
