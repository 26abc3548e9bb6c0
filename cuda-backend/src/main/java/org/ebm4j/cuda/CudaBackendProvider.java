package org.ebm4j.cuda;

import jcuda.CudaException;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.spi.BackendProvider;
import org.ebm4j.tensor.spi.Probe;

/**
 * The CUDA backend's {@link java.util.ServiceLoader} entry point: name {@code "cuda"}, priority
 * {@value #PRIORITY} (above the CPU backend's 10). The constructor touches no native code; the
 * first {@link #probe()} loads JCuda's driver binding, initializes the driver, counts devices and
 * loads the PTX into device 0's context, and its answer is kept for the life of the JVM (JCuda's
 * classes cannot be initialized twice: after a failed load they throw NoClassDefFoundError).
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final int PRIORITY = 100;

    private static Probe cached;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Probe probe() {
        synchronized (CudaBackendProvider.class) {
            if (cached == null) {
                cached = runProbe();
            }
            return cached;
        }
    }

    @Override
    public Backend create() {
        Probe p = probe();
        if (!p.available()) {
            throw new IllegalStateException("the CUDA backend is unavailable: " + p.reason());
        }
        return new CudaBackend(0);
    }

    private static Probe runProbe() {
        try {
            return DeviceProbe.run();
        } catch (UnsatisfiedLinkError e) {
            return Probe.unavailable(explainLinkError(e));
        } catch (NoClassDefFoundError e) {
            return Probe.unavailable("JCuda failed to initialize earlier in this JVM: " + CublasGemm.firstLine(
                    String.valueOf(e.getMessage())) + (e.getCause() != null ? " (" + explainLinkError(e.getCause()) + ")" : ""));
        } catch (LinkageError e) {
            return Probe.unavailable("JCuda could not be linked: " + e);
        } catch (CudaException e) {
            return Probe.unavailable("the CUDA driver failed: " + e.getMessage());
        } catch (CudaCheck.CudaFailure e) {
            return Probe.unavailable(DeviceProbe.explain(e));
        } catch (RuntimeException e) {
            return Probe.unavailable("the CUDA backend could not start: " + e);
        }
    }

    /** Names what is missing, from JCuda's (long, nested) UnsatisfiedLinkError message. */
    static String explainLinkError(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        String text = all.toString();
        if (text.contains("libcuda.so")) {
            return "no NVIDIA driver: libcuda.so.1 not found (install a driver for CUDA 12 or 13)";
        }
        if (text.contains("undefined symbol: cu")) {
            return "the NVIDIA driver is too old for JCuda 12.6 (" + CublasGemm.firstLine(text.substring(text.indexOf("undefined symbol")))
                    + "); install a driver for CUDA 12 or 13";
        }
        if (text.contains("nvcuda.dll")) {
            return "no NVIDIA driver: nvcuda.dll not found (install a driver for CUDA 12 or 13)";
        }
        return "JCuda's native library could not be loaded (JCuda 12.6.0 ships linux-x86_64, windows-x86_64 natives): "
                + CublasGemm.firstLine(String.valueOf(e.getMessage()));
    }
}
