package org.ebm4j.cpu;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.contract.BackendContract;

/**
 * The backend-neutral contract suite from core's test-jar, on the CPU backend. Surefire runs this
 * module's tests twice, so the suite covers both kernel sets (vector and scalar).
 */
class CpuBackendContractTest extends BackendContract {
    @Override
    protected Backend createBackend() {
        return new CpuBackendProvider().create();
    }
}
