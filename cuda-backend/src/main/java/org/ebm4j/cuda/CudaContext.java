package org.ebm4j.cuda;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUfunction;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import org.ebm4j.tensor.spi.Switches;

/**
 * The device side of one {@link CudaBackend}: device {@code ordinal}'s primary context, a
 * non-blocking stream of its own, the kernel modules and their functions. Owns them and frees them
 * in reverse order of acquisition on {@link #close()} (cuBLAS, which is created after this and
 * destroyed before, belongs to {@link CublasGemm}).
 *
 * <p>The primary context is the one the CUDA runtime (and so cuBLAS) uses too, and is shared by
 * every backend on the device; each backend queues its work on its own stream, so two backends do
 * not serialize on the legacy default stream. Driver contexts are current per thread; every backend
 * call makes it current on the calling thread first ({@link #makeCurrent()}), so the backend may be
 * used from different threads one at a time, and one thread may use backends on several devices.
 *
 * <p>Kernel launches are asynchronous, so a fault inside a kernel surfaces at a later synchronizing
 * call. With {@code -D}{@value #SYNC_PROPERTY}{@code =true} every launch is followed by a
 * synchronization, so the fault names the kernel that caused it (slow: for debugging).
 */
final class CudaContext implements AutoCloseable {
    /** {@code -Debm.cuda.sync=true}: synchronize after every launch so a kernel fault names its kernel. */
    static final String SYNC_PROPERTY = "ebm.cuda.sync";

    private static final ContextBinding<CudaContext> CURRENT = new ContextBinding<>();

    private final int ordinal;
    private final boolean syncLaunches;
    private final CUdevice device = new CUdevice();
    private final CUstream stream = new CUstream();
    private final CUcontext context = new CUcontext();
    private final List<PtxModule> modules = new ArrayList<>();
    private final Map<Kernel, CUfunction> functions = new EnumMap<>(Kernel.class);
    private final Map<Kernel, LaunchArguments> arguments = new EnumMap<>(Kernel.class);
    private final DeviceInfo info;
    private final Startup startup;
    private final StepGraph steps;
    private boolean streamCreated;
    private boolean open;

    /**
     * Initializes the driver, retains device {@code ordinal}'s primary context, creates this
     * context's stream and loads every kernel module (the cubin for the device when shipped, else PTX).
     */
    CudaContext(int ordinal) {
        this.ordinal = ordinal;
        this.syncLaunches = Switches.flag(SYNC_PROPERTY, false);
        this.steps = new StepGraph(this, StepGraph.disabledBecause(
                Switches.flag(GraphReplay.GRAPHS_PROPERTY, true), syncLaunches,
                GraphChain.unavailable()));
        long t0 = System.nanoTime();
        CudaCheck.check(JCudaDriver.cuInit(0), "cuInit(0)");
        CudaCheck.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        CudaCheck.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain(device " + ordinal + ")");
        open = true;
        try {
            makeCurrent();
            info = DeviceInfo.query(device);
            CudaCheck.check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING),
                    "cuStreamCreate(non-blocking, device " + ordinal + ")");
            streamCreated = true;
            long t1 = System.nanoTime();
            List<String> binaries = new ArrayList<>();
            for (String m : Kernel.MODULES) {
                PtxModule loaded = PtxModule.load(m, info.computeMajor(), info.computeMinor());
                modules.add(loaded);
                binaries.add(m + ": " + loaded.binary());
            }
            startup = new Startup(String.join(", ", binaries), (t1 - t0) * 1e-9, (System.nanoTime() - t1) * 1e-9);
            for (Kernel k : Kernel.values()) {
                functions.put(k, module(k.module).function(k.symbol));
                arguments.put(k, new LaunchArguments(k));
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

    /**
     * How a context started, for the backend's description and the GPU figures.
     *
     * @param kernelBinaries which binary each kernel module was loaded from (cubin or PTX)
     * @param contextSeconds seconds from cuInit to a current context with its stream (the first context
     *                       of a process pays the driver start)
     * @param moduleSeconds  seconds to load every kernel module (JIT compilation included when PTX was loaded)
     */
    record Startup(String kernelBinaries, double contextSeconds, double moduleSeconds) {
    }

    /** Makes this context current on the calling thread (cheap when it already is). */
    void makeCurrent() {
        CURRENT.bind(this, () -> CudaCheck.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent(device " + ordinal + ")"));
    }

    /**
     * Launches {@code kernel} on this context's stream, on a {@code gridX x gridY} grid of
     * {@code block}-thread blocks with {@code args} checked against its signature.
     */
    void launch(Kernel kernel, int gridX, int gridY, int block, Object... args) {
        launch3d(kernel, gridX, gridY, 1, block, args);
    }

    /**
     * {@link #launch(Kernel, int, int, int, Object...)} on a three-dimensional grid; inside a training
     * step with graphs on, {@link StepGraph} may take the launch into a capture or a replay instead.
     */
    void launch3d(Kernel kernel, int gridX, int gridY, int gridZ, int block, Object... args) {
        if (!steps.intercept(kernel, gridX, gridY, gridZ, block, args)) {
            launchNow(kernel, gridX, gridY, gridZ, block, args);
        }
    }

    /** The launch itself, on this context's stream. */
    void launchNow(Kernel kernel, int gridX, int gridY, int gridZ, int block, Object[] args) {
        Pointer params = arguments.get(kernel).bind(args);
        int status = JCudaDriver.cuLaunchKernel(functions.get(kernel), gridX, gridY, gridZ, block, 1, 1, 0, stream, params, null);
        if (status != CUresult.CUDA_SUCCESS) {
            check(status, launchDescription(kernel, gridX, gridY, gridZ, block));
        }
        if (syncLaunches) {
            check(JCudaDriver.cuStreamSynchronize(stream), "kernel " + launchDescription(kernel, gridX, gridY, gridZ, block)
                    + " (found by -D" + SYNC_PROPERTY + "=true)");
        }
    }

    /** How a launch is named in errors; built only when one is reported. */
    static String launchDescription(Kernel kernel, int gridX, int gridY, int gridZ, int block) {
        return kernel.symbol + "<<<" + gridX + "x" + gridY + (gridZ > 1 ? "x" + gridZ : "") + ", " + block + ">>>";
    }

    /**
     * {@link CudaCheck#check} for calls that can report a kernel fault: a sticky error also marks
     * this device as unusable in the provider's probe, since its context is poisoned for good.
     */
    void check(int status, String call) {
        try {
            CudaCheck.check(status, call);
        } catch (CudaCheck.CudaFailure f) {
            if (CudaCheck.isSticky(f.status())) {
                CudaBackendProvider.PROBES.markFaulted(ordinal, f.getMessage());
            }
            throw f;
        }
    }

    /** Waits for all work queued on this context's stream; surfaces errors of earlier asynchronous launches. */
    void synchronize(String after) {
        steps.hostWork("cuStreamSynchronize after " + after);
        check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize (after " + after + ")");
    }

    /** Host work (a copy between host and device) about to be queued: a step being captured or replayed must know. */
    void hostWork(String what) {
        steps.hostWork(what);
    }

    /** Training-step capture and replay on this context ({@code -Debm.cuda.graphs}). */
    StepGraph steps() {
        return steps;
    }

    CUfunction function(Kernel kernel) {
        return functions.get(kernel);
    }

    /** The reused parameter array of {@code kernel}. */
    LaunchArguments arguments(Kernel kernel) {
        return arguments.get(kernel);
    }

    /** This context's stream: every launch and copy of the backend is queued on it, in order. */
    CUstream stream() {
        return stream;
    }

    /** The device ordinal. */
    int ordinal() {
        return ordinal;
    }

    /** How this context started: the binaries its kernels were loaded from and how long it took. */
    Startup startup() {
        return startup;
    }

    boolean syncLaunches() {
        return syncLaunches;
    }

    /** Free and total device memory in bytes. */
    long[] memoryInfo() {
        long[] free = {0};
        long[] total = {0};
        CudaCheck.check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    /** What the driver said about the device when this context opened. */
    DeviceInfo info() {
        return info;
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        RuntimeException failure = null;
        try {
            makeCurrent();  // the modules and the stream are unloaded in this context, whichever thread closes
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            steps.close();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        functions.clear();
        for (int i = modules.size() - 1; i >= 0; i--) {
            try {
                modules.get(i).close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        modules.clear();
        if (streamCreated) {
            streamCreated = false;
            int s = JCudaDriver.cuStreamDestroy(stream);
            if (s != CUresult.CUDA_SUCCESS && failure == null) {
                failure = new CudaCheck.CudaFailure("cuStreamDestroy", s, "cuStreamDestroy failed: " + CUresult.stringFor(s));
            }
        }
        open = false;
        CURRENT.forget(this);
        int status = JCudaDriver.cuDevicePrimaryCtxRelease(device);
        if (failure != null) {
            throw failure;
        }
        CudaCheck.check(status, "cuDevicePrimaryCtxRelease(device " + ordinal + ")");
    }
}
