package org.ebm4j.tensor;

import org.ebm4j.random.RandomStream;

/**
 * The checked facade of the random half, as {@link CheckedBackend} is of the tensor half: each
 * {@link Sampler} operation is a final method that runs the checks of its {@link CheckedBackend}
 * (open backend, usable tensors) and of {@link Sampler} (shapes, aliasing, unit range, a random
 * stream where one is needed), then takes the call's one draw and passes the stream position to a
 * raw method as three numbers: {@code seed}, {@code streamId} and {@code draw}. A raw method never
 * sees the {@link RandomStream}, so every backend takes exactly one draw per accepted call and none
 * per rejected call. A threshold {@link UnitRule} takes no draw and its raw call gets zeros.
 *
 * @param <T> the tensor class of the backend
 */
public abstract class CheckedSampler<T extends Tensor> implements Sampler {
    private final CheckedBackend<T> backend;

    /** @param backend the backend whose tensors and open state this sampler checks */
    protected CheckedSampler(CheckedBackend<T> backend) {
        if (backend == null) {
            throw new IllegalArgumentException("backend is null");
        }
        this.backend = backend;
    }

    // ---- the raw operations -------------------------------------------------------------------

    protected abstract void doFillUniform(T out, long seed, int streamId, long draw);

    protected abstract void doFillNormal(T out, float mean, float stddev, long seed, int streamId, long draw);

    protected abstract void doSampleBernoulli(T probs, T out, long seed, int streamId, long draw);

    /** {@code bias} and {@code probs} may be null; {@code probs} is not {@code samples}. */
    protected abstract void doSampleSigmoidBernoulli(T x, T bias, float scale, T probs, T samples, long seed,
                                                     int streamId, long draw);

    /**
     * {@code pre = a op(b)}, then {@link #doSampleSigmoidBernoulli} on it with scale 1: the sequence the
     * operation is defined as. A backend overrides it only to fuse the two into one pass with the same
     * bits. {@code bias} and {@code probs} may be null.
     */
    protected void doSampleSigmoidBernoulliProduct(T a, T b, boolean transB, T bias, T pre, T probs, T samples,
                                                   long seed, int streamId, long draw) {
        backend.doGemm(false, transB, pre.rows(), pre.cols(), a.cols(), 1f, a, b, 0f, pre);
        doSampleSigmoidBernoulli(pre, bias, 1f, probs, samples, seed, streamId, draw);
    }

    protected abstract void doSampleGaussian(T mean, T bias, float stddev, T out, long seed, int streamId, long draw);

    /** {@code unit} lies in {@code [0, state.cols())}; for a threshold rule the stream position is all zeros. */
    protected abstract void doUpdateUnit(T state, T field, T weights, int unit, UnitRule rule, T clamp, long seed,
                                         int streamId, long draw);

    /** Not called when both {@code kick} and {@code drift} are zero (the step would change nothing). */
    protected abstract void doLeapfrog(T q, T p, T grad, T invMass, float kick, float drift);

    protected abstract void doMetropolisSelect(T current, T currentEnergy, T proposal, T proposalEnergy, T accepted,
                                               long seed, int streamId, long draw);

    // ---- the facade ---------------------------------------------------------------------------

    @Override
    public final void fillUniform(Tensor out, RandomStream rng) {
        checkFill("fillUniform", out, rng);
        doFillUniform(backend.cast(out), rng.seed(), rng.streamId(), rng.nextDraw());
    }

    @Override
    public final void fillNormal(Tensor out, float mean, float stddev, RandomStream rng) {
        checkFill("fillNormal", out, rng);
        doFillNormal(backend.cast(out), mean, stddev, rng.seed(), rng.streamId(), rng.nextDraw());
    }

    private void checkFill(String op, Tensor out, RandomStream rng) {
        backend.checkOpen();
        backend.use(op, "out", out);
        OpChecks.randomStream(op, rng);
    }

    @Override
    public final void sampleBernoulli(Tensor probs, Tensor out, RandomStream rng) {
        backend.checkSameShape("sampleBernoulli", "probs", probs, "out", out);
        OpChecks.randomStream("sampleBernoulli", rng);
        doSampleBernoulli(backend.cast(probs), backend.cast(out), rng.seed(), rng.streamId(), rng.nextDraw());
    }

    @Override
    public final void sampleSigmoidBernoulli(Tensor x, Tensor bias, float scale, Tensor probs, Tensor samples,
                                             RandomStream rng) {
        backend.checkOpen();
        String op = "sampleSigmoidBernoulli";
        T tx = backend.use(op, "x", x);
        T tb = backend.useOptional(op, "bias", bias);
        T tp = backend.useOptional(op, "probs", probs);
        T ts = backend.use(op, "samples", samples);
        OpChecks.sampleSigmoidBernoulli(tx, tb, tp, ts, rng);
        doSampleSigmoidBernoulli(tx, tb, scale, tp, ts, rng.seed(), rng.streamId(), rng.nextDraw());
    }

    @Override
    public final void sampleSigmoidBernoulliProduct(Tensor a, Tensor b, boolean transB, Tensor bias, Tensor pre,
                                                    Tensor probs, Tensor samples, RandomStream rng) {
        String op = "sampleSigmoidBernoulliProduct";
        // pre = a op(b) is checked as gemm checks its c
        backend.checkProduct(op, false, a, transB, b, "pre", pre);
        T tbias = backend.useOptional(op, "bias", bias);
        T tp = backend.useOptional(op, "probs", probs);
        T ts = backend.use(op, "samples", samples);
        OpChecks.sampleSigmoidBernoulliProduct(a, b, tbias, pre, tp, ts, rng);
        doSampleSigmoidBernoulliProduct(backend.cast(a), backend.cast(b), transB, tbias, backend.cast(pre), tp, ts,
                rng.seed(), rng.streamId(), rng.nextDraw());
    }

    @Override
    public final void sampleGaussian(Tensor mean, Tensor bias, float stddev, Tensor out, RandomStream rng) {
        backend.checkRowBroadcast("sampleGaussian", "mean", mean, "bias", bias, false, out);
        OpChecks.randomStream("sampleGaussian", rng);
        doSampleGaussian(backend.cast(mean), backend.cast(bias), stddev, backend.cast(out), rng.seed(), rng.streamId(),
                rng.nextDraw());
    }

    @Override
    public final void updateUnit(Tensor state, Tensor field, Tensor weights, int unit, UnitRule rule, Tensor clamp,
                                 RandomStream rng) {
        backend.checkOpen();
        String op = "updateUnit";
        T ts = backend.use(op, "state", state);
        T tf = backend.use(op, "field", field);
        T tw = backend.use(op, "weights", weights);
        T tc = backend.useOptional(op, "clamp", clamp);
        OpChecks.updateUnit(ts, tf, tw, unit, rule, tc, rng);
        if (rule.isStochastic()) {
            doUpdateUnit(ts, tf, tw, unit, rule, tc, rng.seed(), rng.streamId(), rng.nextDraw());
        } else {
            doUpdateUnit(ts, tf, tw, unit, rule, tc, 0L, 0, 0L);
        }
    }

    @Override
    public final void leapfrog(Tensor q, Tensor p, Tensor grad, Tensor invMass, float kick, float drift) {
        backend.checkOpen();
        T tq = backend.use("leapfrog", "q", q);
        T tp = backend.use("leapfrog", "p", p);
        T tg = backend.use("leapfrog", "grad", grad);
        T tm = backend.useOptional("leapfrog", "invMass", invMass);
        OpChecks.leapfrog(tq, tp, tg, tm);
        if (kick != 0f || drift != 0f) {
            doLeapfrog(tq, tp, tg, tm, kick, drift);
        }
    }

    @Override
    public final void metropolisSelect(Tensor current, Tensor currentEnergy, Tensor proposal, Tensor proposalEnergy,
                                       Tensor accepted, RandomStream rng) {
        backend.checkOpen();
        String op = "metropolisSelect";
        T tc = backend.use(op, "current", current);
        T tce = backend.use(op, "currentEnergy", currentEnergy);
        T tp = backend.use(op, "proposal", proposal);
        T tpe = backend.use(op, "proposalEnergy", proposalEnergy);
        T ta = backend.use(op, "accepted", accepted);
        OpChecks.metropolisSelect(tc, tce, tp, tpe, ta, rng);
        doMetropolisSelect(tc, tce, tp, tpe, ta, rng.seed(), rng.streamId(), rng.nextDraw());
    }
}
