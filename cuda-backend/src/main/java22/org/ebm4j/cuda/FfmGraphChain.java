package org.ebm4j.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * The nodes of a captured graph read from the driver through the FFM API. JCuda 12.6's bindings of
 * {@code cuGraphGetRootNodes} and {@code cuGraphNodeGetDependentNodes} hand the driver an uninitialized
 * {@code size_t} as the array's capacity, and the driver fills that many entries (the ones past the
 * real nodes with NULL), which overwrites the native heap; here the capacity is the array's length.
 * Compiled only by a JDK 22+ build into {@code META-INF/versions/22}, reached through {@link GraphChain}.
 */
final class FfmGraphChain {
    private static final MethodHandle ROOTS;
    private static final MethodHandle DEPENDENTS;

    static {
        // the driver is loaded already (JCuda linked it); the lookup stays open for the JVM's life
        SymbolLookup driver = SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
        FunctionDescriptor d = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        ROOTS = Linker.nativeLinker().downcallHandle(driver.find("cuGraphGetRootNodes").orElseThrow(), d);
        DEPENDENTS = Linker.nativeLinker().downcallHandle(driver.find("cuGraphNodeGetDependentNodes").orElseThrow(), d);
    }

    private FfmGraphChain() {
    }

    /**
     * The addresses of {@code graph}'s nodes from its one root along its one path.
     *
     * @throws IllegalStateException when a call fails or the graph is not a chain
     */
    static long[] chain(long graph) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_LONG);
            MemorySegment one = arena.allocate(ADDRESS);
            long[] nodes = new long[16];
            int n = 0;
            long node = only(ROOTS, graph, count, one, "root");
            while (node != 0) {
                if (n == nodes.length) {
                    nodes = Arrays.copyOf(nodes, 2 * n);
                }
                nodes[n++] = node;
                node = only(DEPENDENTS, node, count, one, "dependent");
            }
            return Arrays.copyOf(nodes, n);
        }
    }

    /** The one node {@code list} gives for {@code of}; 0 when it gives none after a node. */
    private static long only(MethodHandle list, long of, MemorySegment count, MemorySegment one, String what) {
        count.set(JAVA_LONG, 0, 0L);
        call(list, of, MemorySegment.NULL, count, "counting the graph's " + what + " nodes");
        long found = count.get(JAVA_LONG, 0);
        if (found == 0 && list == DEPENDENTS) {
            return 0;
        }
        if (found != 1) {
            throw new IllegalStateException("the captured step is not a chain (" + found + " " + what + " nodes)");
        }
        call(list, of, one, count, "reading the graph's " + what + " node");
        return one.get(ADDRESS, 0).address();
    }

    private static void call(MethodHandle list, long of, MemorySegment nodes, MemorySegment count, String what) {
        int status;
        try {
            status = (int) list.invokeExact(MemorySegment.ofAddress(of), nodes, count);
        } catch (Throwable t) {
            throw new IllegalStateException(what + ": " + t, t);
        }
        if (status != 0) {
            throw new IllegalStateException(what + ": CUresult " + status);
        }
    }
}
