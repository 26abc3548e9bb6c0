package org.ebm4j.cpu;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the test classes that check every op on each kernel set this JVM can run: one backend
 * per kernel set, opened before the class's first test and closed after its last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnEveryKernelSet {
    /** One backend per available kernel set (see {@link TestBackends#selections()}). */
    protected List<CpuBackend> backends;

    /** Threads of each backend; a class that tests the threaded paths asks for more. */
    protected int threads() {
        return 1;
    }

    @BeforeAll
    final void openBackends() {
        backends = TestBackends.backends(threads());
    }

    @AfterAll
    final void closeBackends() {
        TestBackends.closeAll(backends);
    }
}
