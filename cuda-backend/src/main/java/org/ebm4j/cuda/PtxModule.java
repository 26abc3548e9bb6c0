package org.ebm4j.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * One PTX file of the {@code ebm4j-kernels} jar ({@code /org/ebm4j/kernels/NAME.ptx}), loaded into
 * the current context with {@code cuModuleLoadData}; the driver JIT-compiles it for the device.
 */
final class PtxModule implements AutoCloseable {
    static final String RESOURCE_DIR = "/org/ebm4j/kernels/";

    private final String name;
    private final CUmodule module = new CUmodule();
    private boolean loaded;

    private PtxModule(String name) {
        this.name = name;
    }

    /** Loads module {@code name} into the current context. */
    static PtxModule load(String name) {
        byte[] ptx = readResource(name);
        PtxModule m = new PtxModule(name);
        CudaCheck.check(JCudaDriver.cuModuleLoadData(m.module, ptx),
                "cuModuleLoadData(" + RESOURCE_DIR + name + ".ptx, " + (ptx.length - 1) + " bytes)");
        m.loaded = true;
        return m;
    }

    /** The PTX text of module {@code name}, NUL-terminated as cuModuleLoadData requires. */
    static byte[] readResource(String name) {
        String path = RESOURCE_DIR + name + ".ptx";
        try (InputStream in = PtxModule.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + path + " is not on the class path (the ebm4j-kernels jar"
                        + " is missing)");
            }
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("reading PTX resource " + path, e);
        }
    }

    CUfunction function(String kernel) {
        CUfunction f = new CUfunction();
        CudaCheck.check(JCudaDriver.cuModuleGetFunction(f, module, kernel), "cuModuleGetFunction(" + name + ".ptx, " + kernel + ")");
        return f;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        if (loaded) {
            loaded = false;
            CudaCheck.check(JCudaDriver.cuModuleUnload(module), "cuModuleUnload(" + name + ".ptx)");
        }
    }
}
