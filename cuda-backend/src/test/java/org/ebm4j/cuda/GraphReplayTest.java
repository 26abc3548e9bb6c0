package org.ebm4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jcuda.driver.CUdeviceptr;
import org.ebm4j.cuda.GraphReplay.Mode;
import org.ebm4j.cuda.GraphReplay.Op;
import org.junit.jupiter.api.Test;

/**
 * The parts of CUDA graph replay that need no device: which launches of a step change from one step
 * to the next (and that their new parameters land in the launch's parameter array), which steps cannot
 * be replayed, which node each launch became, and when graphs give up. The capture and replay
 * themselves ({@link StepGraph}) need a GPU: {@code gpu-run.sh} times CD-1 with and without them.
 */
class GraphReplayTest {
    private static final CUdeviceptr WORKSPACE = new CUdeviceptr();

    /** Arguments fitting {@code k}'s signature: pointers the same workspace, ints 7, floats 0.5, longs {@code draw}. */
    private static Object[] args(Kernel k, long draw) {
        Object[] a = new Object[k.signature.length()];
        for (int i = 0; i < a.length; i++) {
            char c = k.signature.charAt(i);
            a[i] = c == 'P' ? WORKSPACE : c == 'I' ? (Object) 7 : c == 'F' ? (Object) 0.5f : (Object) draw;
        }
        return a;
    }

    private static Op launch(Kernel k, int grid, Object[] args) {
        return Op.launch(k, grid, 1, 1, 256, args, () -> { });
    }

    /** A CD-1-like step: gather, the sampler twice (with the stream's draw index), a cuBLAS GEMM, a column sum. */
    private static List<Op> step(long draw, float learningRate) {
        List<Op> ops = new ArrayList<>();
        ops.add(launch(Kernel.GATHER_ROWS, 8, args(Kernel.GATHER_ROWS, 0)));
        ops.add(launch(Kernel.SAMPLE_SIGMOID_BERNOULLI, 64, args(Kernel.SAMPLE_SIGMOID_BERNOULLI, draw)));
        ops.add(Op.opaque("cuBLAS 500x784x100 alpha=" + learningRate, () -> { }));
        ops.add(launch(Kernel.SAMPLE_SIGMOID_BERNOULLI, 64, args(Kernel.SAMPLE_SIGMOID_BERNOULLI, draw + 1)));
        ops.add(launch(Kernel.COLUMN_SUMS_FINISH, 2, args(Kernel.COLUMN_SUMS_FINISH, 0)));
        return ops;
    }

    @Test
    void onlyTheSamplersDrawIndicesChangeFromOneStepToTheNext() {
        GraphReplay.Comparison same = GraphReplay.compare(step(10, 0.1f), step(10, 0.1f));
        assertTrue(same.replayable());
        assertEquals(List.of(), same.changed());
        GraphReplay.Comparison next = GraphReplay.compare(step(10, 0.1f), step(12, 0.1f));
        assertTrue(next.replayable(), next.mismatch());
        // indices among the launches only: gather 0, samplers 1 and 2, column sums 3
        assertEquals(List.of(1, 2), next.changed());
    }

    @Test
    void theReplayParametersAreTheNewArgumentsInTheLaunchsParameterArray() {
        Kernel k = Kernel.SAMPLE_SIGMOID_BERNOULLI;
        LaunchArguments parameters = new LaunchArguments(k);
        List<Op> now = step(12, 0.1f);
        int changed = GraphReplay.compare(step(10, 0.1f), now).changed().get(0);
        Op op = now.stream().filter(Op::isLaunch).toList().get(changed);
        parameters.bind(op.args());
        int drawSlot = k.signature.indexOf('L');
        assertEquals(12L, parameters.value(drawSlot), "the node is updated with this step's draw index");
    }

    @Test
    void aStepThatDiffersInShapeMemoryOrCublasArgumentsIsNotReplayed() {
        List<Op> recorded = step(10, 0.1f);
        assertTrue(GraphReplay.compare(recorded, step(10, 0.2f)).mismatch().contains("differs from the graph's"),
                "a cuBLAS call with another alpha cannot be patched into the graph");
        List<Op> otherGrid = step(10, 0.1f);
        otherGrid.set(1, launch(Kernel.SAMPLE_SIGMOID_BERNOULLI, 32, args(Kernel.SAMPLE_SIGMOID_BERNOULLI, 10)));
        assertTrue(GraphReplay.compare(recorded, otherGrid).mismatch().contains("another grid"));
        List<Op> otherMemory = step(10, 0.1f);
        Object[] a = args(Kernel.COLUMN_SUMS_FINISH, 0);
        a[0] = WORKSPACE.withByteOffset(256);
        otherMemory.set(4, launch(Kernel.COLUMN_SUMS_FINISH, 2, a));
        assertEquals("operation 4 (column_sums_finish<<<2x1, 256>>>): argument 0 is other memory",
                GraphReplay.compare(recorded, otherMemory).mismatch());
        List<Op> shorter = step(10, 0.1f);
        shorter.remove(4);
        assertEquals("the step has 4 operations, the graph 5", GraphReplay.compare(recorded, shorter).mismatch());
        List<Op> otherKernel = step(10, 0.1f);
        otherKernel.set(0, launch(Kernel.SIGMOID_BIAS, 8, args(Kernel.SIGMOID_BIAS, 0)));
        assertTrue(GraphReplay.compare(recorded, otherKernel).mismatch().startsWith("operation 0: sigmoid_bias"));
    }

    @Test
    void launchesAreFoundInTheCapturedChainPastCublassOwnNodes() {
        // the chain's node functions: own kernels by name, cuBLAS kernels by theirs, a memset node null
        List<String> chain = Arrays.asList("gather", "sample", "cublas_sgemm", null, "cublas_reduce", "sample", "colsums");
        assertArrayEquals(new int[] {0, 1, 5, 6}, GraphReplay.mapNodes(chain, List.of("gather", "sample", "sample", "colsums")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GraphReplay.mapNodes(chain, List.of("gather", "colsums", "sample")));
        assertEquals("the captured graph has 2 of the step's 3 launches in order", e.getMessage());
    }

    @Test
    void aShapeIsCapturedOnItsSecondStepAndReplayedAfter() {
        GraphReplay.Policy p = new GraphReplay.Policy(null);
        assertEquals(Mode.PLAIN, p.next(), "the first step grows the workspaces");
        assertEquals(Mode.CAPTURE, p.next());
        p.captured();
        assertEquals(Mode.REPLAY, p.next());
        p.replayed();
        assertNull(p.mismatched("the tail batch"), "a changed step is not news");
        assertEquals(Mode.CAPTURE, p.next(), "the mismatched step ran plainly, so its shape is warm");
        p.captured();
        assertEquals(Mode.REPLAY, p.next());
    }

    @Test
    void graphsGiveUpOnceAndSaySoOnce() {
        GraphReplay.Policy p = new GraphReplay.Policy(null);
        for (int i = 1; i < GraphReplay.MAX_CAPTURES_WITHOUT_REPLAY; i++) {
            assertNull(p.mismatched("shape " + i));
        }
        String message = p.mismatched("shape 4");
        assertTrue(message.startsWith("CUDA graphs off, plain launches from now on: the step changed 4 times in a row"), message);
        assertEquals(Mode.PLAIN, p.next());
        assertNull(p.failed("cuStreamBeginCapture failed"), "said once");
        GraphReplay.Policy q = new GraphReplay.Policy(null);
        assertEquals("CUDA graphs off, plain launches from now on: cuGraphInstantiate failed", q.failed("cuGraphInstantiate failed"));
        assertEquals(Mode.PLAIN, q.next());
    }

    @Test
    void graphsAreOffByTheSwitchTheSynchronizingDebugModeOrNoSafeNodeListing() {
        String jdk17 = GraphChain.unavailable(17, false);
        assertEquals("-Debm.cuda.graphs=false", StepGraph.disabledBecause(false, false, jdk17));
        assertEquals("-Debm.cuda.sync=true synchronizes after every launch", StepGraph.disabledBecause(true, true, null));
        assertEquals("graph replay (JCuda 12.6 cannot list a graph's nodes safely, FFM can): needs JDK 22+, this is JDK 17",
                StepGraph.disabledBecause(true, false, jdk17));
        assertTrue(GraphChain.unavailable(25, false).endsWith("has no FFM classes (build it with JDK 22+)"));
        assertNull(GraphChain.unavailable(25, true));
        if (Runtime.version().feature() >= FfmClasses.FFM_JDK) {
            assertNull(GraphChain.unavailable(), "the JDK 22+ build must compile src/main/java22 onto the test class path");
        }
        assertNull(StepGraph.disabledBecause(true, false, null));
        GraphReplay.Policy off = new GraphReplay.Policy(StepGraph.disabledBecause(false, false, null));
        assertEquals(Mode.PLAIN, off.next());
        assertEquals(Mode.PLAIN, off.next());
    }
}
