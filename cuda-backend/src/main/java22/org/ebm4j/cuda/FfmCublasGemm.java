package org.ebm4j.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * SGEMM through cuBLAS called with the Foreign Function &amp; Memory API (final in JDK 22), so any
 * cuBLAS with the stable {@code _v2} C API loads: {@code libcublas.so.13} (CUDA 13), then
 * {@code libcublas.so.12}. JCublas2 12.6.0 is linked against {@code libcublas.so.12} only, so on a
 * CUDA-13-only machine this is the only way to cuBLAS. Compiled only by a JDK 22+ build into
 * {@code META-INF/versions/22} of the multi-release jar, and reached through {@link CublasFfm}.
 *
 * <p>The handle runs on the backend's stream ({@code cublasSetStream_v2}) in the primary context
 * the backend keeps current (cuBLAS's runtime uses the primary context), so a GEMM stays ordered with
 * the kernels around it. Device pointers and the stream come from JCuda's objects
 * ({@link NativeAddress}).
 */
final class FfmCublasGemm extends CublasSgemm {
    private static final Linker LINKER = Linker.nativeLinker();

    private final Arena arena;
    private final MemorySegment handle;
    private final MethodHandle sgemm;
    private final MethodHandle destroy;
    private final MemorySegment alpha;
    private final MemorySegment beta;

    private FfmCublasGemm(Arena arena, MemorySegment handle, MethodHandle sgemm, MethodHandle destroy, String description) {
        super(description);
        this.arena = arena;
        this.handle = handle;
        this.sgemm = sgemm;
        this.destroy = destroy;
        this.alpha = arena.allocate(JAVA_FLOAT);
        this.beta = arena.allocate(JAVA_FLOAT);
    }

    /**
     * The first cuBLAS found, with a handle on {@code context}'s stream and the math mode asked for.
     *
     * @throws IllegalArgumentException when no cuBLAS library is found (the message names those tried)
     * @throws IllegalStateException    when a cuBLAS call fails (the message names it and its status)
     */
    static DeviceGemm create(CudaContext context, boolean tf32) {
        Arena arena = Arena.ofShared();
        try {
            String[] found = {null};
            SymbolLookup lib = open(arena, found);
            MethodHandle create = function(lib, "cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle destroy = function(lib, "cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle setStream = function(lib, "cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            MethodHandle setMath = function(lib, "cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            MethodHandle getVersion = function(lib, "cublasGetVersion_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            MethodHandle sgemm = function(lib, "cublasSgemm_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                    JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
            MemorySegment out = arena.allocate(ADDRESS);
            CublasStatus.check((int) create.invokeExact(out), "cublasCreate_v2 (" + found[0] + ")");
            MemorySegment h = out.get(ADDRESS, 0);
            try {
                CublasStatus.check((int) setStream.invokeExact(h, MemorySegment.ofAddress(NativeAddress.of(context.stream()))),
                        "cublasSetStream_v2");
                CublasStatus.check((int) setMath.invokeExact(h, CublasFfm.mathMode(tf32)), "cublasSetMathMode");
                MemorySegment v = arena.allocate(JAVA_INT);
                CublasStatus.check((int) getVersion.invokeExact(h, v), "cublasGetVersion_v2");
                String d = "cuBLAS " + CublasStatus.version(v.get(JAVA_INT, 0)) + " via FFM (" + found[0] + "), "
                        + (tf32 ? "TF32 tensor cores" : "FP32");
                return new FfmCublasGemm(arena, h, sgemm, destroy, d);
            } catch (RuntimeException | Error e) {
                int ignored = (int) destroy.invokeExact(h);
                throw e;
            }
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException("cuBLAS via FFM: " + t, t);
        }
    }

    /** The first of {@link CublasFfm#LIBRARIES} that loads, its name in {@code found[0]}. */
    private static SymbolLookup open(Arena arena, String[] found) {
        return GemmSelection.openFirst(CublasFfm.LIBRARIES, name -> {
            SymbolLookup l = SymbolLookup.libraryLookup(name, arena);
            found[0] = name;
            return l;
        });
    }

    /**
     * The name of the cuBLAS library this binding would load, without calling into it.
     *
     * @throws IllegalArgumentException naming every library tried when none is found
     */
    static String findLibrary() {
        try (Arena arena = Arena.ofConfined()) {
            String[] found = {null};
            open(arena, found);
            return found[0];
        }
    }

    private static MethodHandle function(SymbolLookup lib, String name, FunctionDescriptor d) {
        MemorySegment symbol = lib.find(name).orElseThrow(() -> new IllegalStateException(
                "cuBLAS via FFM: the library has no " + name + " (not a cuBLAS with the _v2 API)"));
        return LINKER.downcallHandle(symbol, d);
    }

    @Override
    int sgemm(CublasCall call, float alphaValue, CudaTensor first, CudaTensor second, float betaValue, CudaTensor c) {
        alpha.set(JAVA_FLOAT, 0, alphaValue);
        beta.set(JAVA_FLOAT, 0, betaValue);
        try {
            return (int) sgemm.invokeExact(handle, call.opFirst(), call.opSecond(), call.m(), call.n(), call.k(), alpha,
                    MemorySegment.ofAddress(NativeAddress.of(first.pointer())), call.ldFirst(),
                    MemorySegment.ofAddress(NativeAddress.of(second.pointer())), call.ldSecond(), beta,
                    MemorySegment.ofAddress(NativeAddress.of(c.pointer())), call.ldc());
        } catch (Throwable t) {
            throw new IllegalStateException("cublasSgemm_v2 via FFM: " + t, t);
        }
    }

    @Override
    public void close() {
        try {
            CublasStatus.check((int) destroy.invokeExact(handle), "cublasDestroy_v2");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cublasDestroy_v2 via FFM: " + t, t);
        } finally {
            arena.close();
        }
    }
}
