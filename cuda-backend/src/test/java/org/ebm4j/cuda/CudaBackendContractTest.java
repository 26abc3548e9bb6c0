package org.ebm4j.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.contract.BackendContract;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The core contract suite on the CUDA backend. Skipped, with the probe's reason, where no CUDA
 * device is usable (the build and CI machines); {@code scripts/gpu-run.sh} runs it on a GPU.
 */
@ExtendWith(RequiresCudaDevice.class)
class CudaBackendContractTest extends BackendContract {
    @Override
    protected Backend createBackend() {
        CudaBackendProvider provider = new CudaBackendProvider();
        assumeTrue(provider.probe().available(), "CUDA contract suite skipped: " + provider.probe().reason());
        return provider.create();
    }
}
