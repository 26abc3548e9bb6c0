package org.ebm4j.cuda;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphNode;

/**
 * A captured step's graph nodes in chain order, read through {@code FfmGraphChain} (JDK 22+): JCuda
 * 12.6's own bindings of the driver's node-listing calls overrun the native heap, so where FFM is
 * missing graph replay is off and says why.
 */
final class GraphChain {
    static final String CLASS_NAME = "org.ebm4j.cuda.FfmGraphChain";
    static final String WHAT = "graph replay (JCuda 12.6 cannot list a graph's nodes safely, FFM can)";

    private GraphChain() {
    }

    /** Why graph replay cannot run on JDK {@code feature} when the FFM class is {@code classPresent}, or null. */
    static String unavailable(int feature, boolean classPresent) {
        return FfmClasses.unavailable(WHAT, feature, classPresent);
    }

    /** Why graph replay cannot run in this JVM, or null. */
    static String unavailable() {
        return FfmClasses.unavailable(WHAT, CLASS_NAME);
    }

    /**
     * The nodes of {@code graph} from its root along its one path.
     *
     * @throws IllegalStateException when the driver refuses or the graph is not a chain
     */
    static CUgraphNode[] nodes(CUgraph graph) {
        Class<?> ffm = FfmClasses.find(CLASS_NAME);
        if (ffm == null) {
            throw new IllegalStateException("listing a captured graph's nodes: " + unavailable());
        }
        long[] addresses;
        try {
            Method chain = ffm.getDeclaredMethod("chain", long.class);
            addresses = (long[]) chain.invoke(null, NativeAddress.of(graph));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IllegalStateException ? (IllegalStateException) cause
                    : new IllegalStateException("listing a captured graph's nodes: " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            // LinkageError: the FFM class's initializer could not bind the driver's functions
            throw new IllegalStateException("listing a captured graph's nodes: " + e, e);
        }
        CUgraphNode[] nodes = new CUgraphNode[addresses.length];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = NativeAddress.wrap(new CUgraphNode(), addresses[i]);
        }
        return nodes;
    }
}
