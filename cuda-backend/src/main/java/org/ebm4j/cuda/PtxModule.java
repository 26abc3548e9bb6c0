package org.ebm4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * One kernel module of the {@code ebm4j-kernels} jar, loaded into the current context with
 * {@code cuModuleLoadData}: the compiled code for the device's architecture when the jar ships it
 * ({@code NAME.sm_80.cubin}, {@code NAME.sm_90.cubin}, assembled from the PTX by the build's
 * ptxas), otherwise the PTX ({@code NAME.ptx}), which the driver JIT-compiles for the device.
 */
final class PtxModule implements AutoCloseable {
    /** The jar directory of the kernels, as a class-loader resource name (no leading slash). */
    static final String RESOURCE_DIR = "org/ebm4j/kernels/";
    /** The architectures the build assembles cubins for (build-ptx.sh), as compute capability x 10. */
    static final int[] CUBIN_ARCHS = {80, 90};

    private final String name;
    private final String binary;
    private final CUmodule module = new CUmodule();
    private boolean loaded;

    private PtxModule(String name, String binary) {
        this.name = name;
        this.binary = binary;
    }

    /**
     * Loads module {@code name} into the current context for a device of compute capability
     * {@code major.minor}: the best shipped cubin ({@link #bestCubin}), or the PTX when none fits or
     * the driver refuses the cubin (a driver older than the ptxas that assembled it).
     */
    static PtxModule load(String name, int major, int minor) {
        int arch = bestCubin(shippedCubins(name), major, minor);
        if (arch > 0) {
            byte[] cubin = readResource(cubinFile(name, arch));
            PtxModule m = new PtxModule(name, "sm_" + arch + " cubin");
            if (cubin != null && JCudaDriver.cuModuleLoadData(m.module, cubin) == CUresult.CUDA_SUCCESS) {
                m.loaded = true;
                return m;
            }
        }
        byte[] ptx = readPtx(name);
        PtxModule m = new PtxModule(name, "PTX JIT-compiled for sm_" + major + minor);
        CudaCheck.check(JCudaDriver.cuModuleLoadData(m.module, ptx),
                "cuModuleLoadData(" + RESOURCE_DIR + name + ".ptx, " + (ptx.length - 1) + " bytes)");
        m.loaded = true;
        return m;
    }

    /**
     * The cubin architecture (compute capability x 10) to load on a device of capability
     * {@code major.minor}, or -1 for none: the newest shipped one of the same major version and a
     * minor version not above the device's (an sm_80 cubin runs on sm_86 and sm_89, never on sm_90
     * or sm_75), since cubins are binary-compatible only forward within a major version.
     */
    static int bestCubin(int[] shipped, int major, int minor) {
        int best = -1;
        for (int arch : shipped) {
            if (arch / 10 == major && arch % 10 <= minor && arch > best) {
                best = arch;
            }
        }
        return best;
    }

    /** The cubin architectures the class path holds for module {@code name}. */
    static int[] shippedCubins(String name) {
        return Arrays.stream(CUBIN_ARCHS).filter(a -> loader().getResource(RESOURCE_DIR + cubinFile(name, a)) != null).toArray();
    }

    static String cubinFile(String name, int arch) {
        return name + ".sm_" + arch + ".cubin";
    }

    /** The PTX text of module {@code name}, NUL-terminated as cuModuleLoadData requires. */
    static byte[] readPtx(String name) {
        byte[] text = readResource(name + ".ptx");
        if (text == null) {
            throw new IllegalStateException("PTX resource " + RESOURCE_DIR + name + ".ptx is not on the class path (the"
                    + " ebm4j-kernels jar is missing)");
        }
        return Arrays.copyOf(text, text.length + 1);
    }

    /**
     * The bytes of {@code file} in the kernels' directory, or null when absent. Read through the class
     * loader with the full name: {@code Class.getResourceAsStream} would look only inside this
     * class's own module, which on the module path is not the kernels jar.
     */
    private static byte[] readResource(String file) {
        String path = RESOURCE_DIR + file;
        try (InputStream in = loader().getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading kernel resource " + path, e);
        }
    }

    private static ClassLoader loader() {
        ClassLoader cl = PtxModule.class.getClassLoader();
        return cl != null ? cl : ClassLoader.getSystemClassLoader();
    }

    CUfunction function(String kernel) {
        CUfunction f = new CUfunction();
        CudaCheck.check(JCudaDriver.cuModuleGetFunction(f, module, kernel), "cuModuleGetFunction(" + name + ", " + kernel + ")");
        return f;
    }

    String name() {
        return name;
    }

    /** What was loaded: {@code "sm_90 cubin"} or {@code "PTX JIT-compiled for sm_120"}. */
    String binary() {
        return binary;
    }

    @Override
    public void close() {
        if (loaded) {
            loaded = false;
            CudaCheck.check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload(" + name + ")");
        }
    }
}
