package org.ebm4j.cpu;

import org.ebm4j.tensor.CheckedSampler;
import org.ebm4j.tensor.UnitRule;

/**
 * The random half of {@link CpuBackend}. The checks and the draw are {@link CheckedSampler}'s; each
 * raw method hands the Philox key and counter words of the draw to the kernels, so element
 * {@code e} gets the same random words whichever thread computes it.
 */
final class CpuSampler extends CheckedSampler<CpuTensor> {
    private final CpuBackend backend;
    private final CpuKernels kernels;

    CpuSampler(CpuBackend backend) {
        super(backend);
        this.backend = backend;
        this.kernels = backend.kernels();
    }

    @Override
    protected void doFillUniform(CpuTensor out, long seed, int streamId, long draw) {
        float[] od = out.data();
        Draw d = new Draw(seed, streamId, draw);
        int n = od.length;
        backend.split(n, CpuBackend.COSTLY_MIN_CHUNK, n, (c, lo, hi) ->
                kernels.uniforms(d.k0, d.k1, d.c1, d.c2, d.c3, lo, od, lo, hi - lo));
    }

    @Override
    protected void doFillNormal(CpuTensor out, float mean, float stddev, long seed, int streamId, long draw) {
        float[] od = out.data();
        Draw d = new Draw(seed, streamId, draw);
        int n = od.length;
        backend.split(n, CpuBackend.COSTLY_MIN_CHUNK, n, (c, lo, hi) ->
                kernels.normals(d.k0, d.k1, d.c1, d.c2, d.c3, lo, mean, stddev, od, lo, hi - lo,
                        backend.work(c), 0));
    }

    @Override
    protected void doSampleBernoulli(CpuTensor probs, CpuTensor out, long seed, int streamId, long draw) {
        float[] pd = probs.data();
        float[] od = out.data();
        Draw d = new Draw(seed, streamId, draw);
        int n = pd.length;
        backend.split(n, CpuBackend.COSTLY_MIN_CHUNK, n, (c, lo, hi) ->
                kernels.bernoulli(pd, od, lo, hi, d.k0, d.k1, d.c1, d.c2, d.c3, backend.work(c)));
    }

    @Override
    protected void doSampleSigmoidBernoulli(CpuTensor x, CpuTensor bias, float scale, CpuTensor probs, CpuTensor samples,
                                            long seed, int streamId, long draw) {
        float[] xd = x.data();
        float[] bd = CpuBackend.dataOf(bias);
        float[] pd = CpuBackend.dataOf(probs);
        float[] sd = samples.data();
        Draw d = new Draw(seed, streamId, draw);
        int cols = x.cols();
        backend.split(x.size(), CpuBackend.COSTLY_MIN_CHUNK, x.rows(), (c, lo, hi) ->
                kernels.sigmoidBernoulli(xd, bd, scale, pd, sd, cols, lo, hi, d.k0, d.k1, d.c1, d.c2, d.c3,
                        backend.work(c)));
    }

    @Override
    protected void doSampleGaussian(CpuTensor mean, CpuTensor bias, float stddev, CpuTensor out, long seed, int streamId,
                                    long draw) {
        float[] md = mean.data();
        float[] bd = CpuBackend.dataOf(bias);
        float[] od = out.data();
        Draw d = new Draw(seed, streamId, draw);
        int cols = mean.cols();
        backend.split(mean.size(), CpuBackend.COSTLY_MIN_CHUNK, mean.rows(), (c, lo, hi) ->
                kernels.gaussian(md, bd, stddev, od, cols, lo, hi, d.k0, d.k1, d.c1, d.c2, d.c3, backend.work(c)));
    }

    @Override
    protected void doUpdateUnit(CpuTensor state, CpuTensor field, CpuTensor weights, int unit, UnitRule rule,
                                CpuTensor clamp, long seed, int streamId, long draw) {
        float[] sd = state.data();
        float[] fd = field.data();
        float[] wd = weights.data();
        float[] cd = CpuBackend.dataOf(clamp);
        Draw d = new Draw(seed, streamId, draw);
        int n = state.cols();
        backend.split(state.size(), CpuBackend.CHEAP_MIN_CHUNK, state.rows(), (c, lo, hi) ->
                updateChains(sd, fd, wd, cd, n, unit, rule, lo, hi, d, backend.work(c)));
    }

    private void updateChains(float[] state, float[] field, float[] weights, float[] clamp, int n, int unit,
                              UnitRule rule, int r0, int r1, Draw d, float[] work) {
        boolean stochastic = rule.isStochastic();
        float low = rule.low();
        float high = rule.high();
        for (int start = r0; start < r1; start += CpuKernels.RANDOM_BLOCK) {
            int count = Math.min(CpuKernels.RANDOM_BLOCK, r1 - start);
            if (stochastic) {
                kernels.uniforms(d.k0, d.k1, d.c1, d.c2, d.c3, start, work, 0, count);
            }
            for (int i = 0; i < count; i++) {
                int r = start + i;
                int at = r * n + unit;
                if (clamp != null && clamp[at] != 0f) {
                    continue;
                }
                float h = field[at];
                float next = stochastic ? (work[i] < rule.probabilityHigh(h) ? high : low) : (h >= 0f ? high : low);
                float old = state[at];
                if (next != old) {
                    state[at] = next;
                    kernels.axpy(next - old, weights, unit * n, field, r * n, n);
                }
            }
        }
    }

    @Override
    protected void doLeapfrog(CpuTensor q, CpuTensor p, CpuTensor grad, CpuTensor invMass, float kick, float drift) {
        float[] qd = q.data();
        float[] pd = p.data();
        float[] gd = grad.data();
        float[] md = CpuBackend.dataOf(invMass);
        int cols = q.cols();
        backend.split(q.size(), CpuBackend.CHEAP_MIN_CHUNK, q.rows(), (c, lo, hi) ->
                kernels.leapfrog(qd, pd, gd, md, kick, drift, cols, lo, hi));
    }

    @Override
    protected void doMetropolisSelect(CpuTensor current, CpuTensor currentEnergy, CpuTensor proposal,
                                      CpuTensor proposalEnergy, CpuTensor accepted, long seed, int streamId, long draw) {
        float[] cd = current.data();
        float[] ced = currentEnergy.data();
        float[] pd = proposal.data();
        float[] ped = proposalEnergy.data();
        float[] ad = accepted.data();
        Draw d = new Draw(seed, streamId, draw);
        int dim = current.cols();
        backend.split(current.size(), CpuBackend.CHEAP_MIN_CHUNK, current.rows(), (c, lo, hi) ->
                select(cd, ced, pd, ped, ad, dim, lo, hi, d, backend.work(c)));
    }

    private void select(float[] current, float[] currentEnergy, float[] proposal, float[] proposalEnergy,
                        float[] accepted, int dim, int r0, int r1, Draw d, float[] work) {
        for (int start = r0; start < r1; start += CpuKernels.RANDOM_BLOCK) {
            int count = Math.min(CpuKernels.RANDOM_BLOCK, r1 - start);
            kernels.uniforms(d.k0, d.k1, d.c1, d.c2, d.c3, start, work, 0, count);
            for (int i = 0; i < count; i++) {
                int r = start + i;
                float ep = proposalEnergy[r];
                boolean accept = false;
                if (!Float.isNaN(ep) && ep != Float.POSITIVE_INFINITY) {
                    float delta = currentEnergy[r] - ep;
                    // delta >= 0 always accepts (exp >= 1 > u); NaN compares false and rejects.
                    accept = delta >= 0f || work[i] < (float) Math.exp(delta);
                }
                if (accept) {
                    if (current != proposal) {
                        System.arraycopy(proposal, r * dim, current, r * dim, dim);
                    }
                    currentEnergy[r] = ep;
                }
                accepted[r] = accept ? 1f : 0f;
            }
        }
    }

    /**
     * The Philox key (the stream's seed) and counter words (the draw index and the stream id) of one
     * draw: what every random kernel takes.
     */
    private static final class Draw {
        final int k0;
        final int k1;
        final int c1;
        final int c2;
        final int c3;

        Draw(long seed, int streamId, long draw) {
            this.k0 = (int) seed;
            this.k1 = (int) (seed >>> 32);
            this.c1 = (int) draw;
            this.c2 = (int) (draw >>> 32);
            this.c3 = streamId;
        }
    }
}
