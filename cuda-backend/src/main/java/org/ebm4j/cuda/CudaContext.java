package org.ebm4j.cuda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;

/**
 * The device side of one {@link CudaBackend}: device 0's primary context, the PTX modules and
 * their functions. Owns them and frees them in reverse order of acquisition on {@link #close()}
 * (cuBLAS, which is created after this and destroyed before, belongs to {@link CublasGemm}).
 *
 * <p>The primary context is the one the CUDA runtime (and so cuBLAS) uses too. Driver contexts are
 * current per thread; every backend call makes it current on the calling thread first
 * ({@link #makeCurrent()}), so the backend may be used from different threads one at a time.
 */
final class CudaContext implements AutoCloseable {
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final List<PtxModule> modules = new ArrayList<>();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    private final String deviceName;
    private final int computeMajor;
    private final int computeMinor;
    private final int driverVersion;
    private final long totalMemory;
    private volatile Thread currentOn;
    private boolean open;

    /** Initializes the driver, retains device {@code ordinal}'s primary context and loads every PTX module. */
    CudaContext(int ordinal) {
        CudaCheck.check(JCudaDriver.cuInit(0), "cuInit(0)");
        CudaCheck.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        CudaCheck.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain(device " + ordinal + ")");
        open = true;
        try {
            makeCurrent();
            byte[] name = new byte[256];
            CudaCheck.check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            deviceName = new String(name, 0, len, StandardCharsets.US_ASCII);
            int[] major = {0};
            int[] minor = {0};
            CudaCheck.check(JCudaDriver.cuDeviceComputeCapability(major, minor, device), "cuDeviceComputeCapability");
            computeMajor = major[0];
            computeMinor = minor[0];
            int[] version = {0};
            CudaCheck.check(JCudaDriver.cuDriverGetVersion(version), "cuDriverGetVersion");
            driverVersion = version[0];
            long[] bytes = {0};
            CudaCheck.check(JCudaDriver.cuDeviceTotalMem(bytes, device), "cuDeviceTotalMem");
            totalMemory = bytes[0];
            for (String m : Kernel.MODULES) {
                modules.add(PtxModule.load(m));
            }
            for (Kernel k : Kernel.values()) {
                functions.put(k, module(k.module).function(k.symbol));
            }
        } catch (RuntimeException | LinkageError e) {
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private PtxModule module(String name) {
        for (PtxModule m : modules) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalStateException("PTX module " + name + " is not loaded");
    }

    /** Makes this context current on the calling thread (cheap when it already is). */
    void makeCurrent() {
        Thread t = Thread.currentThread();
        if (currentOn != t) {
            CudaCheck.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            currentOn = t;
        }
    }

    /**
     * Launches {@code kernel} on a {@code gridX x gridY} grid of {@code block}-thread blocks with
     * {@code args} checked against its signature.
     */
    void launch(Kernel kernel, int gridX, int gridY, int block, Object... args) {
        Pointer params = parameters(kernel, args);
        CudaCheck.check(JCudaDriver.cuLaunchKernel(functions.get(kernel), gridX, gridY, 1, block, 1, 1, 0, null, params, null),
                "cuLaunchKernel(" + kernel.symbol + ", grid " + gridX + "x" + gridY + ", block " + block + ")");
    }

    /** The kernel parameter array for {@code args}, after checking them against the kernel's signature. */
    static Pointer parameters(Kernel kernel, Object... args) {
        String sig = kernel.signature;
        if (args.length != sig.length()) {
            throw new IllegalArgumentException("kernel " + kernel.symbol + " takes " + sig.length() + " arguments (" + sig
                    + ") but was given " + args.length);
        }
        Pointer[] p = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            char kind = sig.charAt(i);
            boolean ok;
            switch (kind) {
                case 'P':
                    ok = a == null || a instanceof CudaTensor || a instanceof CUdeviceptr;
                    p[i] = a == null ? Pointer.to(new long[] {0L})
                            : Pointer.to(a instanceof CudaTensor ? ((CudaTensor) a).pointer() : (CUdeviceptr) a);
                    break;
                case 'I':
                    ok = a instanceof Integer;
                    p[i] = ok ? Pointer.to(new int[] {(Integer) a}) : null;
                    break;
                case 'F':
                    ok = a instanceof Float;
                    p[i] = ok ? Pointer.to(new float[] {(Float) a}) : null;
                    break;
                case 'L':
                    ok = a instanceof Long;
                    p[i] = ok ? Pointer.to(new long[] {(Long) a}) : null;
                    break;
                default:
                    throw new IllegalStateException("bad signature letter " + kind + " for " + kernel);
            }
            if (!ok) {
                throw new IllegalArgumentException("kernel " + kernel.symbol + " argument " + i + " must be "
                        + describe(kind) + " but is " + (a == null ? "null" : a.getClass().getSimpleName()));
            }
        }
        return Pointer.to(p);
    }

    private static String describe(char kind) {
        switch (kind) {
            case 'P': return "a device pointer";
            case 'I': return "an Integer";
            case 'F': return "a Float";
            default: return "a Long";
        }
    }

    /** Waits for all queued work; surfaces errors of earlier asynchronous launches. */
    void synchronize(String after) {
        CudaCheck.check(JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize (after " + after + ")");
    }

    /** Free and total device memory in bytes. */
    long[] memoryInfo() {
        long[] free = {0};
        long[] total = {0};
        CudaCheck.check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    String deviceName() {
        return deviceName;
    }

    String computeCapability() {
        return computeMajor + "." + computeMinor;
    }

    /** e.g. "13.0" for 13000. */
    String driverVersion() {
        return (driverVersion / 1000) + "." + (driverVersion % 1000) / 10;
    }

    long totalMemory() {
        return totalMemory;
    }

    boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        RuntimeException failure = null;
        functions.clear();
        for (int i = modules.size() - 1; i >= 0; i--) {
            try {
                modules.get(i).close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        modules.clear();
        open = false;
        currentOn = null;
        int status = JCudaDriver.cuDevicePrimaryCtxRelease(device);
        if (failure != null) {
            throw failure;
        }
        CudaCheck.check(status, "cuDevicePrimaryCtxRelease");
    }
}
