package org.ebm4j.testing;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;

/**
 * Fails a test that leaves a tensor of a {@link ReferenceBackend} open: every reference backend
 * created on the test's thread from just before the test instance is built (so backends held in
 * fields count) is asked, after the test, for its open tensors. Opt in with
 * {@code @ExtendWith(NoLeakedTensors.class)} on a test class whose tests run on one thread and close
 * everything they allocate; a removed {@code close()} in the code under test then fails the test,
 * naming the shapes left open.
 */
public final class NoLeakedTensors implements TestInstancePreConstructCallback, AfterEachCallback {
    // The backends created since the current test's instance began to be built, on this thread.
    private static final ThreadLocal<List<ReferenceBackend>> CURRENT = new ThreadLocal<>();

    @Override
    public void preConstructTestInstance(TestInstanceFactoryContext factory, ExtensionContext context) {
        // Per-method lifecycle: one instance per test, so this runs before each test's fields are set.
        CURRENT.set(ReferenceBackend.watchCreated());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ReferenceBackend> backends = CURRENT.get();
        CURRENT.remove();
        ReferenceBackend.stopWatching();
        if (backends == null) {
            throw new IllegalStateException("NoLeakedTensors saw no test instance being built for "
                    + context.getDisplayName() + "; expected the per-method test lifecycle on one thread");
        }
        check(context.getDisplayName(), backends);
    }

    /** Throws {@link AssertionError} naming {@code test} and the shapes left open if any of {@code backends} has an open tensor. */
    static void check(String test, List<ReferenceBackend> backends) {
        List<String> open = new ArrayList<>();
        for (ReferenceBackend b : backends) {
            open.addAll(b.openTensors());
        }
        if (!open.isEmpty()) {
            throw new AssertionError(test + " left " + open.size() + " reference-backend tensors open (expected none): "
                    + open);
        }
    }
}
