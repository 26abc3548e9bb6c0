package org.ebm4j.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which GEMM a backend runs, as a function of what loaded: cuBLAS through the FFM API (JDK 22+),
 * else cuBLAS through JCublas2 (needs {@code libcublas.so.12}), else the own SGEMM kernels, each
 * binding tried only when those before it failed, and the reasons they failed kept for
 * {@code ebm info}. Generic in the GEMM type so the order is tested without a device.
 */
final class GemmSelection {
    /** {@code -Debm.cuda.gemm=auto|cublas|kernel}: auto takes cuBLAS when it loads; cublas insists on it. */
    static final String GEMM_PROPERTY = "ebm.cuda.gemm";
    /**
     * {@code -Debm.cuda.tf32=true}: cuBLAS may use TF32 tensor cores for FP32 products (inputs rounded
     * to 10 mantissa bits, so results differ from FP32 at about 1e-3 relative); default false, FP32.
     */
    static final String TF32_PROPERTY = "ebm.cuda.tf32";

    private GemmSelection() {
    }

    /** What one cuBLAS binding gave: the GEMM, or (gemm null) why not, starting with the binding's name. */
    record Attempt<T>(T gemm, String whyNot) {
        static <T> Attempt<T> loaded(T gemm) {
            return new Attempt<>(gemm, null);
        }

        static <T> Attempt<T> failed(String whyNot) {
            return new Attempt<>(null, whyNot);
        }
    }

    /** {@code -Debm.cuda.gemm}, trimmed and lower-cased; an unknown value is an error naming the choices. */
    static String wanted(String property) {
        String want = (property == null ? "auto" : property).trim().toLowerCase(Locale.ROOT);
        if (!want.equals("auto") && !want.equals("cublas") && !want.equals("kernel")) {
            throw new IllegalArgumentException("-D" + GEMM_PROPERTY + " must be auto, cublas or kernel, found '" + want + "'");
        }
        return want;
    }

    /**
     * The GEMM to run.
     *
     * @param want     {@link #wanted auto, cublas or kernel}
     * @param bindings the cuBLAS bindings in order of preference; one runs only if all before it failed
     * @param kernel   the own kernels, given the reason they run
     */
    static <T> T choose(String want, List<Supplier<Attempt<T>>> bindings, Function<String, T> kernel) {
        if (want.equals("kernel")) {
            return kernel.apply("forced by -D" + GEMM_PROPERTY + "=kernel");
        }
        List<String> reasons = new ArrayList<>();
        for (Supplier<Attempt<T>> binding : bindings) {
            Attempt<T> a = binding.get();
            if (a.gemm() != null) {
                return a.gemm();
            }
            reasons.add(a.whyNot());
        }
        String why = String.join("; ", reasons);
        if (want.equals("cublas")) {
            throw new IllegalStateException("-D" + GEMM_PROPERTY + "=cublas was requested but no cuBLAS loaded: " + why);
        }
        return kernel.apply(why);
    }

    /**
     * Opens the first library of {@code names} that {@code open} finds ({@code open} throws
     * {@link IllegalArgumentException} for a library it cannot find, as FFM's library lookup does), or
     * throws {@link IllegalArgumentException} naming every one tried.
     */
    static <L> L openFirst(List<String> names, Function<String, L> open) {
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            try {
                return open.apply(name);
            } catch (IllegalArgumentException e) {
                missing.add(name);
            }
        }
        throw new IllegalArgumentException(String.join(" and ", missing) + " not found on the library path"
                + " (install CUDA 13's or 12's cuBLAS, or add its lib directory to LD_LIBRARY_PATH)");
    }
}
