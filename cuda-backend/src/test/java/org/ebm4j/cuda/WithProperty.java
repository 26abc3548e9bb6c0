package org.ebm4j.cuda;

import java.util.function.Supplier;

/**
 * Runs code with a system property set, then puts the old value back (or clears it): the CUDA
 * backend reads its switches ({@code ebm.cuda.gemm}, {@code ebm.cuda.graphs}, {@code ebm.cuda.device})
 * when a backend or probe is created, so tests and the GPU figures set them around that.
 */
final class WithProperty {
    private WithProperty() {
    }

    static <T> T get(String name, String value, Supplier<T> body) {
        String old = System.getProperty(name);
        System.setProperty(name, value);
        try {
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, old);
            }
        }
    }

    static void run(String name, String value, Runnable body) {
        get(name, value, () -> {
            body.run();
            return null;
        });
    }
}
