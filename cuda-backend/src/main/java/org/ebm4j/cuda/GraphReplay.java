package org.ebm4j.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import jcuda.driver.CUdeviceptr;

/**
 * The decisions of CUDA graph replay that need no device: what one operation of a training step is,
 * whether the next step is the recorded one with only value arguments changed (and which launches
 * then need new parameters), which graph node each launch became, and when to stop trying.
 * {@link StepGraph} does the driver calls.
 */
final class GraphReplay {
    /** {@code -Debm.cuda.graphs=true|false}: capture a training step as a CUDA graph and replay it (default true; off where {@link GraphChain} cannot list a graph's nodes, as on JDK 17). */
    static final String GRAPHS_PROPERTY = "ebm.cuda.graphs";
    /** Captures in a row without a replay after which the step is taken not to repeat, and plain launches stay. */
    static final int MAX_CAPTURES_WITHOUT_REPLAY = 4;

    private GraphReplay() {
    }

    /**
     * One operation of a step: a kernel launch ({@code kernel} non-null) with its grid and arguments, or
     * an opaque operation (a cuBLAS call) that equals another only with equal {@code key}.
     * {@code plain} issues it as an ordinary launch or call.
     */
    record Op(Kernel kernel, int gridX, int gridY, int gridZ, int block, Object[] args, Object key, Runnable plain) {
        /** A launch; {@code args} is kept as given, so it must be the caller's own copy. */
        static Op launch(Kernel kernel, int gridX, int gridY, int gridZ, int block, Object[] args, Runnable plain) {
            return new Op(kernel, gridX, gridY, gridZ, block, args, null, plain);
        }

        static Op opaque(Object key, Runnable plain) {
            return new Op(null, 0, 0, 0, 0, new Object[0], key, plain);
        }

        boolean isLaunch() {
            return kernel != null;
        }

        String name() {
            return isLaunch() ? CudaContext.launchDescription(kernel, gridX, gridY, gridZ, block) : String.valueOf(key);
        }
    }

    /**
     * How a step compares with the recording: {@code mismatch} says why it cannot be replayed (null when
     * it can), {@code changed} lists the launches (indices among the launches only) whose values differ.
     */
    record Comparison(String mismatch, List<Integer> changed) {
        boolean replayable() {
            return mismatch == null;
        }
    }

    /**
     * Compares step {@code now} with {@code recorded}. Replayable when both have the same operations in
     * the same order, each launch the same kernel on the same grid with the same device pointers
     * (tensors by identity, workspaces by address); only integer, float and long values may change
     * (the Philox draw index, a batch offset, a learning rate), and those launches get new parameters.
     */
    static Comparison compare(List<Op> recorded, List<Op> now) {
        if (recorded.size() != now.size()) {
            return new Comparison("the step has " + now.size() + " operations, the graph " + recorded.size(), List.of());
        }
        List<Integer> changed = new ArrayList<>();
        int launch = 0;
        for (int i = 0; i < now.size(); i++) {
            Op r = recorded.get(i);
            Op n = now.get(i);
            String why = structureDiffers(r, n);
            if (why != null) {
                return new Comparison("operation " + i + ": " + why, List.of());
            }
            if (!n.isLaunch()) {
                continue;
            }
            boolean valuesDiffer = false;
            for (int a = 0; a < n.args().length; a++) {
                Object x = r.args()[a];
                Object y = n.args()[a];
                if (isValue(x) || isValue(y)) {
                    valuesDiffer |= !Objects.equals(x, y);
                } else if (!sameMemory(x, y)) {
                    return new Comparison("operation " + i + " (" + n.name() + "): argument " + a + " is other memory",
                            List.of());
                }
            }
            if (valuesDiffer) {
                changed.add(launch);
            }
            launch++;
        }
        return new Comparison(null, changed);
    }

    /** Tensors by identity, workspace pointers by address (offset included), null only as null. */
    private static boolean sameMemory(Object x, Object y) {
        if (x instanceof CUdeviceptr && y instanceof CUdeviceptr) {
            return NativeAddress.of((CUdeviceptr) x) == NativeAddress.of((CUdeviceptr) y);
        }
        return x == y;
    }

    private static boolean isValue(Object x) {
        return x instanceof Integer || x instanceof Float || x instanceof Long;
    }

    private static String structureDiffers(Op r, Op n) {
        if (r.isLaunch() != n.isLaunch() || r.kernel() != n.kernel()) {
            return n.name() + " where the graph has " + r.name();
        }
        if (!n.isLaunch()) {
            return Objects.equals(r.key(), n.key()) ? null : n.name() + " differs from the graph's " + r.name();
        }
        boolean sameGrid = r.gridX() == n.gridX() && r.gridY() == n.gridY() && r.gridZ() == n.gridZ() && r.block() == n.block();
        return sameGrid ? null : n.name() + " on another grid than the graph's " + r.name();
    }

    /**
     * Which node of a captured chain each launch became: {@code chain} is the function of each node in
     * order (null for a node that is not a kernel), {@code launches} the function of each own launch in
     * order. Kernels that are not own launches (cuBLAS's) are passed over. Returns the chain index of
     * each launch, or throws {@link IllegalStateException} when the launches are not all found in order.
     */
    static int[] mapNodes(List<?> chain, List<?> launches) {
        int[] nodes = new int[launches.size()];
        int next = 0;
        for (int i = 0; i < chain.size() && next < launches.size(); i++) {
            if (chain.get(i) != null && chain.get(i).equals(launches.get(next))) {
                nodes[next++] = i;
            }
        }
        if (next < launches.size()) {
            throw new IllegalStateException("the captured graph has " + next + " of the step's " + launches.size()
                    + " launches in order");
        }
        return nodes;
    }

    /** How the next step runs. */
    enum Mode {
        /** launched as issued */
        PLAIN,
        /** captured as a graph, which is then launched */
        CAPTURE,
        /** issued into a buffer, compared with the graph, and the graph launched with new parameters */
        REPLAY
    }

    /**
     * When to capture, replay or give up. Off unless enabled; once a capture fails (the driver refuses,
     * the step does host work in the middle) or the step keeps changing shape, plain launches for good,
     * and the reason is returned once for the log.
     */
    static final class Policy {
        private String off;
        private boolean toldFailure;
        private boolean haveGraph;
        private boolean warm;
        private int capturesWithoutReplay;

        /** @param disabledBecause why graphs are off from the start (null: on); a switch left off is not logged */
        Policy(String disabledBecause) {
            this.off = disabledBecause;
        }

        /**
         * The mode of the next step. A step shape is captured on its second step, not its first: the
         * first grows the workspaces it needs, and an allocation inside a capture would end it.
         */
        Mode next() {
            if (off != null) {
                return Mode.PLAIN;
            }
            if (haveGraph) {
                return Mode.REPLAY;
            }
            if (!warm) {
                warm = true;
                return Mode.PLAIN;
            }
            return Mode.CAPTURE;
        }

        /** A step was captured and launched as a graph. */
        void captured() {
            haveGraph = true;
        }

        /** A step was replayed from the graph. */
        void replayed() {
            capturesWithoutReplay = 0;
        }

        /**
         * A step did not match the graph and ran as plain launches, which warmed up its shape: the next
         * step is captured anew, unless that has happened
         * {@value #MAX_CAPTURES_WITHOUT_REPLAY} times without a replay. Returns the message to log once, or null.
         */
        String mismatched(String why) {
            haveGraph = false;
            warm = true;
            if (++capturesWithoutReplay >= MAX_CAPTURES_WITHOUT_REPLAY) {
                return giveUp("the step changed " + capturesWithoutReplay + " times in a row without a replay (last: "
                        + why + ")");
            }
            return null;
        }

        /** Capturing or replaying failed: plain launches from now on. Returns the message to log once, or null. */
        String failed(String why) {
            haveGraph = false;
            return giveUp(why);
        }

        private String giveUp(String why) {
            off = why;
            if (toldFailure) {
                return null;
            }
            toldFailure = true;
            return "CUDA graphs off, plain launches from now on: " + why;
        }

        /** Why graphs are off, or null while they are on. */
        String off() {
            return off;
        }
    }
}
