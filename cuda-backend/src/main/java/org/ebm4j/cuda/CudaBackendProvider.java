package org.ebm4j.cuda;

import jcuda.CudaException;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.spi.BackendProvider;
import org.ebm4j.tensor.spi.Probe;

/**
 * The CUDA backend's {@link java.util.ServiceLoader} entry point: name {@code "cuda"}, priority
 * {@value #PRIORITY} (above the CPU backend's 10). The device is {@code -D}{@value #DEVICE_PROPERTY}
 * (default 0), or the variant of {@code --backend cuda:N} / {@code -Debm.backend=cuda:N}. The
 * constructor touches no native code; the first {@link #probe()} of a device loads JCuda's driver
 * binding, initializes the driver, counts devices and loads the kernels into the device's context,
 * which stays open for the first backend created on it. Each device's answer is kept for the life
 * of the JVM (JCuda's classes cannot be initialized twice: after a failed load they throw
 * NoClassDefFoundError), except that a device whose kernel faulted answers unavailable from then on.
 */
public final class CudaBackendProvider implements BackendProvider {
    public static final int PRIORITY = 100;
    /** {@code -Debm.cuda.device=N}: the device ordinal a plain {@code "cuda"} selection opens (default 0). */
    public static final String DEVICE_PROPERTY = "ebm.cuda.device";

    static final DeviceProbes PROBES = new DeviceProbes();

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /** The probe of the default device ({@value #DEVICE_PROPERTY}). */
    @Override
    public Probe probe() {
        int device;
        try {
            device = defaultDevice();
        } catch (IllegalArgumentException e) {
            return Probe.unavailable(e.getMessage());
        }
        return PROBES.get(device, CudaBackendProvider::runProbe);
    }

    /** The probe of device {@code variant} (a device ordinal, as in {@code cuda:1}). */
    @Override
    public Probe probe(String variant) {
        int device;
        try {
            device = parseDevice(variant, "cuda:" + variant);
        } catch (IllegalArgumentException e) {
            return Probe.unavailable(e.getMessage());
        }
        return PROBES.get(device, CudaBackendProvider::runProbe);
    }

    @Override
    public Backend create() {
        return open(defaultDevice());
    }

    @Override
    public Backend create(String variant) {
        return open(parseDevice(variant, "cuda:" + variant));
    }

    private static Backend open(int device) {
        Probe p = PROBES.get(device, CudaBackendProvider::runProbe);
        if (!p.available()) {
            throw new IllegalStateException("the CUDA backend is unavailable on device " + device + ": " + p.reason());
        }
        CudaContext context = PROBES.takeParked(device);
        return context != null ? new CudaBackend(context) : new CudaBackend(device);
    }

    /** The device of {@value #DEVICE_PROPERTY}, default 0. */
    static int defaultDevice() {
        String v = System.getProperty(DEVICE_PROPERTY);
        return v == null || v.isBlank() ? 0 : parseDevice(v, "-D" + DEVICE_PROPERTY + "=" + v);
    }

    /**
     * A device ordinal from text; {@code source} names where the text came from in the error.
     *
     * @throws IllegalArgumentException when it is not a non-negative integer
     */
    static int parseDevice(String text, String source) {
        String t = text == null ? "" : text.trim();
        try {
            int d = Integer.parseInt(t);
            if (d >= 0) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the expected form
        }
        throw new IllegalArgumentException(source + ": expected a CUDA device ordinal (0, 1, ...), found '" + t + "'");
    }

    private static Probe runProbe(int device) {
        try {
            return DeviceProbe.run(device);
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
