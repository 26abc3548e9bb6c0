package org.ebm4j.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import org.ebm4j.tensor.spi.Switches;

/**
 * The one line on standard error that tells a user the CPU backend runs its slow scalar kernels
 * because the JVM was started without {@code jdk.incubator.vector}. It goes to {@code System.err}
 * directly because the WARN that {@link KernelSelection} also logs is lost where no SLF4J provider is
 * on the class path, and a six-fold slowdown should not be silent. Printed at most once per instance
 * (the process has one, {@link #PROCESS}); {@code -D}{@value KernelSelection#QUIET_PROPERTY}{@code =true}
 * silences it.
 */
final class ScalarFallbackNotice {
    /** The notice of this JVM: printed by the first automatic fallback, never again. */
    static final ScalarFallbackNotice PROCESS = new ScalarFallbackNotice();

    static final String TEXT = "ebm4j: the CPU backend runs its scalar kernels, about "
            + KernelSelection.SCALAR_SLOWDOWN + "x slower, because this JVM was started without the "
            + KernelSelection.VECTOR_MODULE + " module; add --add-modules " + KernelSelection.VECTOR_MODULE
            + " to the java command line (-D" + KernelSelection.QUIET_PROPERTY + "=true silences this line)";

    private final AtomicBoolean printed = new AtomicBoolean();

    /**
     * Prints {@link #TEXT} on {@code System.err} unless {@code -Debm.cpu.quiet=true} is set or this
     * notice was printed already.
     *
     * @return whether the line was printed
     */
    boolean print() {
        if (Switches.flag(KernelSelection.QUIET_PROPERTY, false) || !printed.compareAndSet(false, true)) {
            return false;
        }
        System.err.println(TEXT);
        return true;
    }
}
