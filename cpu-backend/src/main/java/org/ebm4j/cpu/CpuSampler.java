package org.ebm4j.cpu;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.OpChecks;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;

/**
 * The random half of {@link CpuBackend}. Each call validates everything, then takes one draw and
 * hands the Philox key and counter words to the kernels, so element {@code e} gets the same random
 * words whichever thread computes it.
 */
final class CpuSampler implements Sampler {
    private final CpuBackend backend;
    private final CpuKernels kernels;

    CpuSampler(CpuBackend backend) {
        this.backend = backend;
        this.kernels = backend.kernels();
    }

    @Override
    public void fillUniform(Tensor out, RandomStream rng) {
        backend.checkBackendOpen();
        float[] od = backend.use("fillUniform", "out", out).data();
        OpChecks.randomStream("fillUniform", rng);
        Draw d = Draw.next(rng);
        int n = od.length;
        backend.split(n, CpuBackend.COSTLY_MIN_CHUNK, n, (c, lo, hi) ->
                kernels.uniforms(d.k0, d.k1, d.c1, d.c2, d.c3, lo, od, lo, hi - lo));
    }

    @Override
    public void fillNormal(Tensor out, float mean, float stddev, RandomStream rng) {
        backend.checkBackendOpen();
        float[] od = backend.use("fillNormal", "out", out).data();
        OpChecks.randomStream("fillNormal", rng);
        Draw d = Draw.next(rng);
        int n = od.length;
        backend.split(n, CpuBackend.COSTLY_MIN_CHUNK, n, (c, lo, hi) ->
                kernels.normals(d.k0, d.k1, d.c1, d.c2, d.c3, lo, mean, stddev, od, lo, hi - lo,
                        backend.work(c), 0));
    }

    @Override
    public void sampleBernoulli(Tensor probs, Tensor out, RandomStream rng) {
        backend.checkBackendOpen();
        String op = "sampleBernoulli";
        CpuTensor tp = backend.use(op, "probs", probs);
        CpuTensor to = backend.use(op, "out", out);
        OpChecks.sampleBernoulli(tp, to, rng);
        float[] pd = tp.data();
        float[] od = to.data();
        Draw d = Draw.next(rng);
        int n = pd.length;
        backend.split(n, CpuBackend.COSTLY_MIN_CHUNK, n, (c, lo, hi) ->
                kernels.bernoulli(pd, od, lo, hi, d.k0, d.k1, d.c1, d.c2, d.c3, backend.work(c)));
    }

    @Override
    public void sampleSigmoidBernoulli(Tensor x, Tensor bias, float scale, Tensor probs, Tensor samples,
                                       RandomStream rng) {
        backend.checkBackendOpen();
        String op = "sampleSigmoidBernoulli";
        CpuTensor tx = backend.use(op, "x", x);
        CpuTensor tb = backend.useOptional(op, "bias", bias);
        CpuTensor tp = backend.useOptional(op, "probs", probs);
        CpuTensor ts = backend.use(op, "samples", samples);
        OpChecks.sampleSigmoidBernoulli(tx, tb, tp, ts, rng);
        float[] xd = tx.data();
        float[] bd = CpuBackend.dataOf(tb);
        float[] pd = CpuBackend.dataOf(tp);
        float[] sd = ts.data();
        Draw d = Draw.next(rng);
        int rows = tx.rows();
        int cols = tx.cols();
        backend.split(tx.size(), CpuBackend.COSTLY_MIN_CHUNK, rows, (c, lo, hi) ->
                kernels.sigmoidBernoulli(xd, bd, scale, pd, sd, cols, lo, hi, d.k0, d.k1, d.c1, d.c2, d.c3,
                        backend.work(c)));
    }

    @Override
    public void sampleGaussian(Tensor mean, Tensor bias, float stddev, Tensor out, RandomStream rng) {
        backend.checkBackendOpen();
        String op = "sampleGaussian";
        CpuTensor tm = backend.use(op, "mean", mean);
        CpuTensor tb = backend.useOptional(op, "bias", bias);
        CpuTensor to = backend.use(op, "out", out);
        OpChecks.sampleGaussian(tm, tb, to, rng);
        float[] md = tm.data();
        float[] bd = CpuBackend.dataOf(tb);
        float[] od = to.data();
        Draw d = Draw.next(rng);
        int rows = tm.rows();
        int cols = tm.cols();
        backend.split(tm.size(), CpuBackend.COSTLY_MIN_CHUNK, rows, (c, lo, hi) ->
                kernels.gaussian(md, bd, stddev, od, cols, lo, hi, d.k0, d.k1, d.c1, d.c2, d.c3, backend.work(c)));
    }

    @Override
    public void updateUnit(Tensor state, Tensor field, Tensor weights, int unit, UnitRule rule, Tensor clamp,
                           RandomStream rng) {
        backend.checkBackendOpen();
        String op = "updateUnit";
        CpuTensor ts = backend.use(op, "state", state);
        CpuTensor tf = backend.use(op, "field", field);
        CpuTensor tw = backend.use(op, "weights", weights);
        CpuTensor tc = backend.useOptional(op, "clamp", clamp);
        OpChecks.updateUnit(ts, tf, tw, unit, rule, tc, rng);
        int n = ts.cols();
        boolean stochastic = rule.isStochastic();
        float[] sd = ts.data();
        float[] fd = tf.data();
        float[] wd = tw.data();
        float[] cd = CpuBackend.dataOf(tc);
        Draw d = stochastic ? Draw.next(rng) : Draw.NONE;
        int chains = ts.rows();
        backend.split(ts.size(), CpuBackend.CHEAP_MIN_CHUNK, chains, (c, lo, hi) ->
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
    public void leapfrog(Tensor q, Tensor p, Tensor grad, Tensor invMass, float kick, float drift) {
        backend.checkBackendOpen();
        String op = "leapfrog";
        CpuTensor tq = backend.use(op, "q", q);
        CpuTensor tp = backend.use(op, "p", p);
        CpuTensor tg = backend.use(op, "grad", grad);
        CpuTensor tm = backend.useOptional(op, "invMass", invMass);
        OpChecks.leapfrog(tq, tp, tg, tm);
        float[] qd = tq.data();
        float[] pd = tp.data();
        float[] gd = tg.data();
        float[] md = CpuBackend.dataOf(tm);
        if (kick == 0f && drift == 0f) {
            return;
        }
        int rows = tq.rows();
        int cols = tq.cols();
        backend.split(tq.size(), CpuBackend.CHEAP_MIN_CHUNK, rows, (c, lo, hi) ->
                kernels.leapfrog(qd, pd, gd, md, kick, drift, cols, lo, hi));
    }

    @Override
    public void metropolisSelect(Tensor current, Tensor currentEnergy, Tensor proposal, Tensor proposalEnergy,
                                 Tensor accepted, RandomStream rng) {
        backend.checkBackendOpen();
        String op = "metropolisSelect";
        CpuTensor tc = backend.use(op, "current", current);
        CpuTensor tce = backend.use(op, "currentEnergy", currentEnergy);
        CpuTensor tp = backend.use(op, "proposal", proposal);
        CpuTensor tpe = backend.use(op, "proposalEnergy", proposalEnergy);
        CpuTensor ta = backend.use(op, "accepted", accepted);
        OpChecks.metropolisSelect(tc, tce, tp, tpe, ta, rng);
        float[] cd = tc.data();
        float[] ced = tce.data();
        float[] pd = tp.data();
        float[] ped = tpe.data();
        float[] ad = ta.data();
        Draw d = Draw.next(rng);
        int chains = tc.rows();
        int dim = tc.cols();
        backend.split(tc.size(), CpuBackend.CHEAP_MIN_CHUNK, chains, (c, lo, hi) ->
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
     * draw: what every random kernel takes. One draw per call, whatever the tensor's size.
     */
    private static final class Draw {
        static final Draw NONE = new Draw(0, 0, 0, 0, 0);
        final int k0;
        final int k1;
        final int c1;
        final int c2;
        final int c3;

        private Draw(int k0, int k1, int c1, int c2, int c3) {
            this.k0 = k0;
            this.k1 = k1;
            this.c1 = c1;
            this.c2 = c2;
            this.c3 = c3;
        }

        static Draw next(RandomStream rng) {
            long draw = rng.nextDraw();
            long seed = rng.seed();
            return new Draw((int) seed, (int) (seed >>> 32), (int) draw, (int) (draw >>> 32), rng.streamId());
        }
    }
}
