package org.ebm4j.cuda;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where a CUDA device is usable, and otherwise disables it with the probe's
 * reason. An assumption failing in {@code @BeforeAll} would leave the class reported as
 * "Tests run: 0"; a disabled class is reported as skipped, with the reason in the report.
 */
public final class RequiresCudaDevice implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        CudaBackendProvider provider = new CudaBackendProvider();
        return provider.probe().available()
                ? ConditionEvaluationResult.enabled("a CUDA device is usable")
                : ConditionEvaluationResult.disabled("no usable CUDA device: " + provider.probe().reason());
    }
}
