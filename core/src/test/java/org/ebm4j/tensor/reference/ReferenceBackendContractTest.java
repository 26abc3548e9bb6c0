package org.ebm4j.tensor.reference;

import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.contract.BackendContract;

/** Runs the contract suite against the reference backend: validates the suite itself. */
class ReferenceBackendContractTest extends BackendContract {
    @Override
    protected Backend createBackend() {
        return new ReferenceBackend();
    }
}
