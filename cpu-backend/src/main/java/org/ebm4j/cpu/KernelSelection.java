package org.ebm4j.cpu;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ebm4j.cpu.internal.ScalarKernels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which kernel set the CPU backend runs, and why, chosen the way Lucene's
 * {@code VectorizationProvider} does: {@code -Debm.cpu.kernels=auto|scalar|vector} (default
 * {@code auto}). {@code auto} takes the Vector API kernels only when the
 * {@code jdk.incubator.vector} module is in the boot layer and the preferred float species has at
 * least {@value #MIN_AUTO_LANES} lanes; otherwise it falls back to the scalar kernels and logs a
 * WARN that says how to enable the fast path. Forcing {@code vector} without the module is an
 * error that says how to fix it.
 *
 * <p>When the fallback happens because the module is not readable, the CPU backend is about
 * {@value #SCALAR_SLOWDOWN} times slower, so besides the WARN one line goes to standard error, once
 * per JVM, naming {@code --add-modules jdk.incubator.vector}: a user without an SLF4J provider sees
 * it too. {@code -D}{@value #QUIET_PROPERTY}{@code =true} silences that line; forcing
 * {@code -Debm.cpu.kernels=scalar} never prints it. The reason is also in {@link #reason()}, which
 * {@link CpuBackend#describe()} reports as {@code kernelsReason}.
 *
 * @param kernels the chosen kernel set
 * @param reason  why it was chosen, for {@code ebm info}
 * @param warning the WARN logged for a fallback, or null when nothing was wrong
 */
public record KernelSelection(CpuKernels kernels, String reason, String warning) {
    public static final String PROPERTY = "ebm.cpu.kernels";
    public static final String VECTOR_MODULE = "jdk.incubator.vector";
    public static final int MIN_AUTO_LANES = 8;
    /** {@code -Debm.cpu.quiet=true}: no stderr line when the scalar kernels are chosen for lack of the vector module. */
    public static final String QUIET_PROPERTY = "ebm.cpu.quiet";
    /** Roughly how many times slower the scalar kernels are than the Vector API kernels. */
    public static final int SCALAR_SLOWDOWN = 6;
    static final String VECTOR_KERNELS_CLASS = "org.ebm4j.cpu.internal.vector.VectorKernels";

    private static final Logger LOG = LoggerFactory.getLogger(KernelSelection.class);
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** The selection named by {@code -Debm.cpu.kernels} (or {@code auto}). */
    public static KernelSelection fromSystemProperty() {
        return select(System.getProperty(PROPERTY));
    }

    /** Selects {@code "auto"} (also for null or blank), {@code "scalar"} or {@code "vector"}. */
    public static KernelSelection select(String requested) {
        return select(requested, vectorModulePresent(), ScalarFallbackNotice.PROCESS);
    }

    /**
     * {@link #select(String)} with the module's presence given, and the notice to print when
     * {@code auto} falls back for its absence (tests pass a fresh one to see it printed).
     */
    static KernelSelection select(String requested, boolean modulePresent, ScalarFallbackNotice notice) {
        String name = requested == null || requested.isBlank() ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "scalar":
                return new KernelSelection(new ScalarKernels(), "forced by -D" + PROPERTY + "=scalar", null);
            case "vector": {
                if (!modulePresent) {
                    throw new IllegalStateException("-D" + PROPERTY + "=vector needs the " + VECTOR_MODULE
                            + " module, which this JVM was not started with: add --add-modules " + VECTOR_MODULE
                            + " to the java command line, or drop -D" + PROPERTY
                            + " to fall back to the scalar kernels");
                }
                CpuKernels k;
                try {
                    k = loadVectorKernels();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    throw new IllegalStateException("-D" + PROPERTY + "=vector: the Vector API kernels failed to load: "
                            + e, e);
                }
                return new KernelSelection(k, "forced by -D" + PROPERTY + "=vector (" + shape(k) + ")", null);
            }
            case "auto":
                return auto(modulePresent, notice);
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + " must be one of auto, scalar, vector; found '"
                        + requested + "'");
        }
    }

    private static KernelSelection auto(boolean modulePresent, ScalarFallbackNotice notice) {
        if (!modulePresent) {
            notice.print();
            return fallback("the " + VECTOR_MODULE + " module is not readable, so the CPU backend runs its scalar "
                    + "kernels (about " + SCALAR_SLOWDOWN + "x slower); start java with --add-modules " + VECTOR_MODULE
                    + " to use the Vector API kernels");
        }
        CpuKernels k;
        try {
            k = loadVectorKernels();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return fallback("the Vector API kernels failed to load (" + e + "), so the CPU backend runs its scalar "
                    + "kernels; -D" + PROPERTY + "=vector shows the full error");
        }
        int lanes = k.vectorBits() / Float.SIZE;
        if (lanes < MIN_AUTO_LANES) {
            return fallback("the preferred vector shape here has only " + lanes + " float lanes (" + k.vectorBits()
                    + "-bit), too narrow to beat the scalar kernels; -D" + PROPERTY + "=vector forces it");
        }
        return new KernelSelection(k, "auto: " + VECTOR_MODULE + " is present (" + shape(k) + ")", null);
    }

    private static KernelSelection fallback(String why) {
        // once per JVM and reason: every backend built after the first would repeat it
        if (WARNED.add(why)) {
            LOG.warn("ebm4j: {}", why);
        }
        return new KernelSelection(new ScalarKernels(), "auto: " + why, why);
    }

    private static String shape(CpuKernels k) {
        return k.vectorBits() + "-bit, " + k.vectorBits() / Float.SIZE + " float lanes";
    }

    /** Whether {@code jdk.incubator.vector} is in the boot layer (so the unnamed module reads it). */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    private static CpuKernels loadVectorKernels() throws ReflectiveOperationException {
        Class<?> c = Class.forName(VECTOR_KERNELS_CLASS, true, KernelSelection.class.getClassLoader());
        return (CpuKernels) c.getDeclaredConstructor().newInstance();
    }
}
