package org.ebm4j.cuda;

import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import org.ebm4j.tensor.CheckedSampler;
import org.ebm4j.tensor.UnitRule;

/**
 * The random half of {@link CudaBackend}: every draw is Philox inside a kernel, with the stream
 * position ({@code seed}, {@code streamId}, {@code draw}) passed as kernel arguments. The checks and
 * the draw itself are {@link CheckedSampler}'s. Grid sizes follow how many elements one thread
 * produces (four uniforms or two normals per Philox block).
 */
final class CudaSampler extends CheckedSampler<CudaTensor> {
    private final CudaBackend backend;

    CudaSampler(CudaBackend backend) {
        super(backend);
        this.backend = backend;
    }

    @Override
    protected void doFillUniform(CudaTensor out, long seed, int streamId, long draw) {
        backend.launch(Kernel.FILL_UNIFORM, (out.size() + 3L) / 4, out, out.size(), seed, streamId, draw);
    }

    @Override
    protected void doFillNormal(CudaTensor out, float mean, float stddev, long seed, int streamId, long draw) {
        backend.launch(Kernel.FILL_NORMAL, (out.size() + 1L) / 2, out, out.size(), mean, stddev, seed, streamId, draw);
    }

    @Override
    protected void doSampleBernoulli(CudaTensor probs, CudaTensor out, long seed, int streamId, long draw) {
        backend.launch(Kernel.SAMPLE_BERNOULLI, (probs.size() + 3L) / 4, probs, out, probs.size(), seed, streamId, draw);
    }

    @Override
    protected void doSampleSigmoidBernoulli(CudaTensor x, CudaTensor bias, float scale, CudaTensor probs,
                                            CudaTensor samples, long seed, int streamId, long draw) {
        backend.launch(Kernel.SAMPLE_SIGMOID_BERNOULLI, (x.size() + 3L) / 4, x, bias, scale, probs, samples, x.rows(),
                x.cols(), seed, streamId, draw);
    }

    /**
     * One launch of the own SGEMM v2 with the sigmoid-Bernoulli epilogue where the own GEMM runs and
     * its plan has the epilogue (probabilities into {@code pre} when none are asked for: it is
     * scratch); otherwise GEMM then sample, as every backend does.
     */
    @Override
    protected void doSampleSigmoidBernoulliProduct(CudaTensor a, CudaTensor b, boolean transB, CudaTensor bias,
                                                   CudaTensor pre, CudaTensor probs, CudaTensor samples, long seed,
                                                   int streamId, long draw) {
        KernelGemm own = backend.ownGemm();
        if (own == null || !own.sigmoidBernoulli(transB, pre.rows(), pre.cols(), a.cols(), a, b, bias,
                probs == null ? pre : probs, samples, seed, streamId, draw)) {
            super.doSampleSigmoidBernoulliProduct(a, b, transB, bias, pre, probs, samples, seed, streamId, draw);
        }
    }

    @Override
    protected void doSampleGaussian(CudaTensor mean, CudaTensor bias, float stddev, CudaTensor out, long seed,
                                    int streamId, long draw) {
        backend.launch(Kernel.SAMPLE_GAUSSIAN, (mean.size() + 1L) / 2, mean, bias, stddev, out, mean.rows(), mean.cols(),
                seed, streamId, draw);
    }

    /** Two launches: each chain decides its unit (and the change {@code d}), then every field row adds {@code d * weights[unit, :]}. */
    @Override
    protected void doUpdateUnit(CudaTensor state, CudaTensor field, CudaTensor weights, int unit, UnitRule rule,
                                CudaTensor clamp, long seed, int streamId, long draw) {
        int chains = state.rows();
        int n = state.cols();
        CUdeviceptr delta = backend.scratch().ensure((long) chains * Sizeof.FLOAT);
        backend.launch(Kernel.UNIT_DECIDE, chains, state, field, clamp, delta, chains, n, unit,
                rule.isStochastic() ? 1 : 0, rule.low(), rule.high(), rule.inverseTemperature(), seed, streamId, draw);
        backend.launch(Kernel.UNIT_FIELD_UPDATE, (long) chains * n, field, weights, delta, chains, n, unit);
    }

    @Override
    protected void doLeapfrog(CudaTensor q, CudaTensor p, CudaTensor grad, CudaTensor invMass, float kick, float drift) {
        backend.launch(Kernel.LEAPFROG, q.size(), q, p, grad, invMass, kick, drift, q.rows(), q.cols());
    }

    /** Two launches: each chain decides (and copies its energy), then the accepted rows are copied. */
    @Override
    protected void doMetropolisSelect(CudaTensor current, CudaTensor currentEnergy, CudaTensor proposal,
                                      CudaTensor proposalEnergy, CudaTensor accepted, long seed, int streamId,
                                      long draw) {
        int chains = current.rows();
        backend.launch(Kernel.METROPOLIS_DECIDE, chains, currentEnergy, proposalEnergy, accepted, chains, seed, streamId,
                draw);
        backend.launch(Kernel.METROPOLIS_COPY, current.size(), current, proposal, accepted, chains, current.cols());
    }
}
