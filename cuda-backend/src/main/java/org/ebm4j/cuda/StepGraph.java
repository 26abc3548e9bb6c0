package org.ebm4j.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUDA_KERNEL_NODE_PARAMS;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUgraphNode;
import jcuda.driver.CUgraphNodeType;
import jcuda.driver.CUresult;
import jcuda.driver.CUstreamCaptureMode;
import jcuda.driver.JCudaDriver;
import org.ebm4j.cuda.GraphReplay.Mode;
import org.ebm4j.cuda.GraphReplay.Op;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training step captured as a CUDA graph and replayed (unless {@code -Debm.cuda.graphs=false}): the
 * first step of a shape runs as plain launches, the second is captured with stream capture (own
 * kernels and cuBLAS alike) and launched as a graph, and every later step is issued into a buffer,
 * compared with the recording ({@link GraphReplay#compare}) and, when only value arguments changed
 * (the Philox draw index, offsets, scales), replayed as one {@code cuGraphLaunch} after
 * {@code cuGraphExecKernelNodeSetParams} on the changed launches' nodes. A step that differs runs as
 * plain launches and is captured again; a capture or update the driver refuses turns graphs off for
 * the backend, logged once. Host work inside a step (copies to the host, synchronization) after its
 * first launch cannot be in a graph: such a step runs plainly.
 */
final class StepGraph implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StepGraph.class);

    private final CudaContext context;
    private final GraphReplay.Policy policy;
    private final List<Op> ops = new ArrayList<>();
    private final CUDA_KERNEL_NODE_PARAMS params = new CUDA_KERNEL_NODE_PARAMS();
    private Mode mode;
    private boolean capturing;
    private List<Op> recorded = List.of();
    private CUgraphNode[] nodes;
    private CUgraph graph;
    private CUgraphExec exec;
    private long replays;

    /** @param disabledBecause why graphs are off for this context (null: on) */
    StepGraph(CudaContext context, String disabledBecause) {
        this.context = context;
        this.policy = new GraphReplay.Policy(disabledBecause);
    }

    /**
     * Why graphs are off for a context: the switch, the synchronizing debug mode, or no safe way to
     * list a graph's nodes ({@code chainUnavailable}, from {@link GraphChain#unavailable()}); null when on.
     */
    static String disabledBecause(boolean switchedOn, boolean syncLaunches, String chainUnavailable) {
        if (!switchedOn) {
            return "-D" + GraphReplay.GRAPHS_PROPERTY + "=false";
        }
        if (syncLaunches) {
            return "-D" + CudaContext.SYNC_PROPERTY + "=true synchronizes after every launch";
        }
        return chainUnavailable;
    }

    /** For {@code ebm info}. */
    String describe() {
        return policy.off() != null ? "off (" + policy.off() + ")" : "on (" + replays + " steps replayed)";
    }

    /** Runs one training step as plain launches, a capture or a replay. A step inside a step is part of it. */
    void run(Runnable step) {
        if (mode != null) {
            step.run();
            return;
        }
        mode = policy.next();
        ops.clear();
        boolean completed = false;
        try {
            step.run();
            completed = true;
        } finally {
            Mode m = mode;
            mode = null;
            if (completed) {
                finish(m);
            } else {
                abandon();
            }
        }
    }

    /**
     * Called for every launch: false when it is to be launched now (plain, or into the capture), true
     * when it was buffered for a replay.
     */
    boolean intercept(Kernel kernel, int gridX, int gridY, int gridZ, int block, Object[] args) {
        if (mode == null || mode == Mode.PLAIN || (mode == Mode.CAPTURE && !capturing && !beginCapture())) {
            return false;
        }
        Object[] copy = args.clone();
        ops.add(Op.launch(kernel, gridX, gridY, gridZ, block, copy,
                () -> context.launchNow(kernel, gridX, gridY, gridZ, block, copy)));
        return mode == Mode.REPLAY;
    }

    /** An operation that is not an own launch (a cuBLAS call), equal to another only with an equal {@code key}. */
    void opaque(Object key, Runnable call) {
        if (mode == null || mode == Mode.PLAIN || (mode == Mode.CAPTURE && !capturing && !beginCapture())) {
            call.run();
            return;
        }
        ops.add(Op.opaque(key, call));
        if (mode == Mode.CAPTURE) {
            call.run();
        }
    }

    /**
     * Host work about to be queued (a copy between host and device, a synchronization): fine before a
     * step's first launch (it runs ahead of the graph, on the same stream); after it, the step runs as
     * plain launches.
     */
    void hostWork(String what) {
        if (mode == Mode.CAPTURE && capturing) {
            discardCapture();
            runPlainly(policy.failed("the step does host work (" + what + ") after its first launch"));
        } else if (mode == Mode.REPLAY && !ops.isEmpty()) {
            runPlainly(policy.mismatched("host work (" + what + ") after the first launch"));
        }
    }

    private boolean beginCapture() {
        int s = JCudaDriver.cuStreamBeginCapture(context.stream(), CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED);
        if (s != CUresult.CUDA_SUCCESS) {
            mode = Mode.PLAIN;
            log(policy.failed("cuStreamBeginCapture failed: " + CUresult.stringFor(s)));
            return false;
        }
        capturing = true;
        return true;
    }

    /** Issues the buffered (or captured, not executed) operations as plain launches; the rest of the step too. */
    private void runPlainly(String message) {
        log(message);
        List<Op> pending = new ArrayList<>(ops);
        ops.clear();
        mode = Mode.PLAIN;
        for (Op o : pending) {
            o.plain().run();
        }
    }

    private void finish(Mode m) {
        if (m == Mode.CAPTURE && capturing) {
            finishCapture();
        } else if (m == Mode.REPLAY && !ops.isEmpty()) {
            replay();
        }
    }

    private void finishCapture() {
        capturing = false;
        CUgraph g = new CUgraph();
        int s = JCudaDriver.cuStreamEndCapture(context.stream(), g);
        if (s != CUresult.CUDA_SUCCESS) {
            runPlainly(policy.failed("cuStreamEndCapture failed: " + CUresult.stringFor(s)));
            return;
        }
        CUgraphExec e = new CUgraphExec();
        boolean instantiated = false;
        try {
            CUgraphNode[] launchNodes = launchNodes(g);
            CudaCheck.check(JCudaDriver.cuGraphInstantiate(e, g, 0), "cuGraphInstantiate(" + ops.size() + " operations)");
            instantiated = true;
            destroyGraph();
            graph = g;
            exec = e;
            nodes = launchNodes;
        } catch (IllegalStateException failure) {
            if (instantiated) {
                JCudaDriver.cuGraphExecDestroy(e);
            }
            JCudaDriver.cuGraphDestroy(g);
            runPlainly(policy.failed(failure.getMessage()));
            return;
        }
        recorded = new ArrayList<>(ops);
        policy.captured();
        context.check(JCudaDriver.cuGraphLaunch(exec, context.stream()), "cuGraphLaunch (a captured step)");
    }

    private void replay() {
        GraphReplay.Comparison c = GraphReplay.compare(recorded, ops);
        if (!c.replayable()) {
            runPlainly(policy.mismatched(c.mismatch()));
            return;
        }
        List<Op> launches = launches(ops);
        for (int i : c.changed()) {
            Op o = launches.get(i);
            params.func = context.function(o.kernel());
            params.gridDimX = o.gridX();
            params.gridDimY = o.gridY();
            params.gridDimZ = o.gridZ();
            params.blockDimX = o.block();
            params.blockDimY = 1;
            params.blockDimZ = 1;
            params.sharedMemBytes = 0;
            params.kernelParams = context.arguments(o.kernel()).bind(o.args());
            params.extra = null;
            int s = JCudaDriver.cuGraphExecKernelNodeSetParams(exec, nodes[i], params);
            if (s != CUresult.CUDA_SUCCESS) {
                destroyGraph();
                runPlainly(policy.failed("cuGraphExecKernelNodeSetParams(" + o.name() + ") failed: " + CUresult.stringFor(s)));
                return;
            }
        }
        context.check(JCudaDriver.cuGraphLaunch(exec, context.stream()), "cuGraphLaunch (a replayed step)");
        recorded = new ArrayList<>(ops);
        ops.clear();
        replays++;
        policy.replayed();
    }

    /** The captured chain's node for each own launch, in order ({@link GraphReplay#mapNodes}). */
    private CUgraphNode[] launchNodes(CUgraph g) {
        CUgraphNode[] chain = GraphChain.nodes(g);
        List<Object> functions = new ArrayList<>();
        for (CUgraphNode node : chain) {
            int[] type = {0};
            CudaCheck.check(JCudaDriver.cuGraphNodeGetType(node, type), "cuGraphNodeGetType");
            if (type[0] == CUgraphNodeType.CU_GRAPH_NODE_TYPE_KERNEL) {
                CUDA_KERNEL_NODE_PARAMS p = new CUDA_KERNEL_NODE_PARAMS();
                CudaCheck.check(JCudaDriver.cuGraphKernelNodeGetParams(node, p), "cuGraphKernelNodeGetParams");
                functions.add(p.func);
            } else {
                functions.add(null);
            }
        }
        List<Object> expected = new ArrayList<>();
        for (Op o : launches(ops)) {
            expected.add(context.function(o.kernel()));
        }
        int[] index = GraphReplay.mapNodes(functions, expected);
        CUgraphNode[] result = new CUgraphNode[index.length];
        for (int i = 0; i < index.length; i++) {
            result[i] = chain[index[i]];
        }
        return result;
    }

    private static List<Op> launches(List<Op> all) {
        List<Op> l = new ArrayList<>();
        for (Op o : all) {
            if (o.isLaunch()) {
                l.add(o);
            }
        }
        return l;
    }

    /** A step that threw: an open capture is ended and dropped (its operations never ran). */
    private void abandon() {
        if (capturing) {
            discardCapture();
        }
        ops.clear();
    }

    private void discardCapture() {
        capturing = false;
        CUgraph g = new CUgraph();
        if (JCudaDriver.cuStreamEndCapture(context.stream(), g) == CUresult.CUDA_SUCCESS) {
            JCudaDriver.cuGraphDestroy(g);
        }
    }

    private static void log(String message) {
        if (message != null) {
            LOG.warn(message);
        }
    }

    private void destroyGraph() {
        if (exec != null) {
            JCudaDriver.cuGraphExecDestroy(exec);
            exec = null;
        }
        if (graph != null) {
            JCudaDriver.cuGraphDestroy(graph);
            graph = null;
        }
        nodes = null;
        recorded = List.of();
    }

    @Override
    public void close() {
        destroyGraph();
    }
}
