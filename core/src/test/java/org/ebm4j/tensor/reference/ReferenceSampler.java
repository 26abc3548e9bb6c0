package org.ebm4j.tensor.reference;

import org.ebm4j.random.Philox;
import org.ebm4j.tensor.CheckedSampler;
import org.ebm4j.tensor.UnitRule;

/**
 * The {@link ReferenceBackend}'s sampler: every element's uniform or normal comes straight from
 * {@link Philox#uniform} / {@link Philox#normal} at the stream position the facade passes in,
 * probabilities are computed in double and rounded to float once.
 */
final class ReferenceSampler extends CheckedSampler<ReferenceTensor> {

    ReferenceSampler(ReferenceBackend backend) {
        super(backend);
    }

    private static float sigmoid(double z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    @Override
    protected void doFillUniform(ReferenceTensor out, long seed, int streamId, long draw) {
        float[] os = out.data();
        for (int e = 0; e < os.length; e++) {
            os[e] = Philox.uniform(seed, streamId, draw, e);
        }
    }

    @Override
    protected void doFillNormal(ReferenceTensor out, float mean, float stddev, long seed, int streamId, long draw) {
        float[] os = out.data();
        for (int e = 0; e < os.length; e++) {
            os[e] = (float) (mean + (double) stddev * Philox.normal(seed, streamId, draw, e));
        }
    }

    @Override
    protected void doSampleBernoulli(ReferenceTensor probs, ReferenceTensor out, long seed, int streamId, long draw) {
        float[] ps = probs.data();
        float[] os = out.data();
        for (int e = 0; e < ps.length; e++) {
            os[e] = Philox.uniform(seed, streamId, draw, e) < ps[e] ? 1f : 0f;
        }
    }

    @Override
    protected void doSampleSigmoidBernoulli(ReferenceTensor x, ReferenceTensor bias, float scale, ReferenceTensor probs,
                                            ReferenceTensor samples, long seed, int streamId, long draw) {
        int cols = x.cols();
        for (int r = 0; r < x.rows(); r++) {
            for (int j = 0; j < cols; j++) {
                double z = (double) scale * ((double) x.get(r, j) + (bias == null ? 0.0 : bias.get(0, j)));
                float p = sigmoid(z);
                if (probs != null) {
                    probs.set(r, j, p);
                }
                samples.set(r, j, Philox.uniform(seed, streamId, draw, (long) r * cols + j) < p ? 1f : 0f);
            }
        }
    }

    @Override
    protected void doSampleGaussian(ReferenceTensor mean, ReferenceTensor bias, float stddev, ReferenceTensor out,
                                    long seed, int streamId, long draw) {
        int cols = mean.cols();
        for (int r = 0; r < mean.rows(); r++) {
            for (int j = 0; j < cols; j++) {
                double z = Philox.normal(seed, streamId, draw, (long) r * cols + j);
                double v = (double) mean.get(r, j) + (bias == null ? 0.0 : bias.get(0, j)) + (double) stddev * z;
                out.set(r, j, (float) v);
            }
        }
    }

    @Override
    protected void doUpdateUnit(ReferenceTensor state, ReferenceTensor field, ReferenceTensor weights, int unit,
                                UnitRule rule, ReferenceTensor clamp, long seed, int streamId, long draw) {
        int n = state.cols();
        for (int r = 0; r < state.rows(); r++) {
            if (clamp != null && clamp.get(r, unit) != 0f) {
                continue;
            }
            float h = field.get(r, unit);
            boolean high;
            if (rule.isStochastic()) {
                high = Philox.uniform(seed, streamId, draw, r) < rule.probabilityHigh(h);
            } else {
                high = h >= 0f;
            }
            float old = state.get(r, unit);
            float now = high ? rule.high() : rule.low();
            state.set(r, unit, now);
            double d = (double) now - old;
            if (d != 0) {
                for (int j = 0; j < n; j++) {
                    field.set(r, j, (float) (field.get(r, j) + d * weights.get(unit, j)));
                }
            }
        }
    }

    @Override
    protected void doLeapfrog(ReferenceTensor q, ReferenceTensor p, ReferenceTensor grad, ReferenceTensor invMass,
                              float kick, float drift) {
        for (int r = 0; r < q.rows(); r++) {
            for (int j = 0; j < q.cols(); j++) {
                float pv = p.get(r, j);
                if (kick != 0f) {
                    pv = (float) (pv - (double) kick * grad.get(r, j));
                    p.set(r, j, pv);
                }
                if (drift != 0f) {
                    double m = invMass == null ? 1.0 : invMass.get(0, j);
                    q.set(r, j, (float) (q.get(r, j) + (double) drift * m * pv));
                }
            }
        }
    }

    @Override
    protected void doMetropolisSelect(ReferenceTensor current, ReferenceTensor currentEnergy, ReferenceTensor proposal,
                                      ReferenceTensor proposalEnergy, ReferenceTensor accepted, long seed, int streamId,
                                      long draw) {
        int cols = current.cols();
        for (int r = 0; r < current.rows(); r++) {
            float eNew = proposalEnergy.get(r, 0);
            double ratio = Math.exp((double) currentEnergy.get(r, 0) - eNew);
            // NaN and +infinity proposals are rejected explicitly, so that a NaN current energy or
            // infinity - infinity cannot accept them.
            boolean accept = !Float.isNaN(eNew) && eNew != Float.POSITIVE_INFINITY
                    && Philox.uniform(seed, streamId, draw, r) < ratio;
            accepted.set(r, 0, accept ? 1f : 0f);
            if (accept) {
                for (int j = 0; j < cols; j++) {
                    current.set(r, j, proposal.get(r, j));
                }
                currentEnergy.set(r, 0, eNew);
            }
        }
    }
}
