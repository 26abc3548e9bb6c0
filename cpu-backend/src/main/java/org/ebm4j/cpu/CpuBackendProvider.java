package org.ebm4j.cpu;

import org.ebm4j.cpu.internal.CpuParallel;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.spi.BackendProvider;
import org.ebm4j.tensor.spi.Probe;

/**
 * ServiceLoader entry point of the CPU backend: always available (pure Java), priority
 * {@value #PRIORITY}, below CUDA. The probe reports the kernel set it would run, the thread count
 * and the vector width; a bad {@code -Debm.cpu.kernels} or {@code -Debm.threads} makes it
 * unavailable with that error as the reason.
 */
public final class CpuBackendProvider implements BackendProvider {
    public static final int PRIORITY = 10;

    private KernelSelection selection;
    private int threads;
    private Probe probe;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public synchronized Probe probe() {
        if (probe == null) {
            try {
                selection = KernelSelection.fromSystemProperty();
                threads = CpuParallel.configuredThreads();
                CpuKernels k = selection.kernels();
                probe = Probe.ok("kernels=" + k.name()
                        + (k.vectorBits() > 0 ? " (" + k.vectorBits() + "-bit vectors)" : "")
                        + ", threads=" + threads + "; " + selection.reason());
            } catch (IllegalArgumentException | IllegalStateException e) {
                probe = Probe.unavailable(e.getMessage());
            }
        }
        return probe;
    }

    @Override
    public synchronized Backend create() {
        Probe p = probe();
        if (!p.available()) {
            throw new IllegalStateException("the cpu backend cannot start: " + p.reason());
        }
        CpuBackend backend = new CpuBackend(selection, threads);
        KernelWarmup.startOnce(selection);
        return backend;
    }
}
