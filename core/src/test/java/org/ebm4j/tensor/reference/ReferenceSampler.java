package org.ebm4j.tensor.reference;

import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.OpChecks;
import org.ebm4j.tensor.Sampler;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.UnitRule;

/**
 * The {@link ReferenceBackend}'s sampler: every element's uniform or normal comes straight from
 * {@link Philox#uniform} / {@link Philox#normal} at the stream's position, probabilities are
 * computed in double and rounded to float once.
 */
final class ReferenceSampler implements Sampler {
    private final ReferenceBackend backend;

    ReferenceSampler(ReferenceBackend backend) {
        this.backend = backend;
    }

    private static float uniform(RandomStream rng, long draw, long e) {
        return Philox.uniform(rng.seed(), rng.streamId(), draw, e);
    }

    private static float sigmoid(double z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }

    @Override
    public void fillUniform(Tensor out, RandomStream rng) {
        float[] os = backend.open("fillUniform", "out", out).data();
        OpChecks.randomStream("fillUniform", rng);
        long draw = rng.nextDraw();
        for (int e = 0; e < os.length; e++) {
            os[e] = uniform(rng, draw, e);
        }
    }

    @Override
    public void fillNormal(Tensor out, float mean, float stddev, RandomStream rng) {
        float[] os = backend.open("fillNormal", "out", out).data();
        OpChecks.randomStream("fillNormal", rng);
        long draw = rng.nextDraw();
        for (int e = 0; e < os.length; e++) {
            os[e] = (float) (mean + (double) stddev * Philox.normal(rng.seed(), rng.streamId(), draw, e));
        }
    }

    @Override
    public void sampleBernoulli(Tensor probs, Tensor out, RandomStream rng) {
        ReferenceTensor tp = backend.open("sampleBernoulli", "probs", probs);
        ReferenceTensor to = backend.open("sampleBernoulli", "out", out);
        OpChecks.sampleBernoulli(tp, to, rng);
        long draw = rng.nextDraw();
        float[] ps = tp.data();
        float[] os = to.data();
        for (int e = 0; e < ps.length; e++) {
            os[e] = uniform(rng, draw, e) < ps[e] ? 1f : 0f;
        }
    }

    @Override
    public void sampleSigmoidBernoulli(Tensor x, Tensor bias, float scale, Tensor probs, Tensor samples,
                                       RandomStream rng) {
        String op = "sampleSigmoidBernoulli";
        ReferenceTensor tx = backend.open(op, "x", x);
        ReferenceTensor tb = backend.openOrNull(op, "bias", bias);
        ReferenceTensor tp = backend.openOrNull(op, "probs", probs);
        ReferenceTensor ts = backend.open(op, "samples", samples);
        OpChecks.sampleSigmoidBernoulli(tx, tb, tp, ts, rng);
        long draw = rng.nextDraw();
        int cols = tx.cols();
        for (int r = 0; r < tx.rows(); r++) {
            for (int j = 0; j < cols; j++) {
                double z = (double) scale * ((double) tx.get(r, j) + (tb == null ? 0.0 : tb.get(0, j)));
                float p = sigmoid(z);
                if (tp != null) {
                    tp.set(r, j, p);
                }
                ts.set(r, j, uniform(rng, draw, (long) r * cols + j) < p ? 1f : 0f);
            }
        }
    }

    @Override
    public void sampleGaussian(Tensor mean, Tensor bias, float stddev, Tensor out, RandomStream rng) {
        String op = "sampleGaussian";
        ReferenceTensor tm = backend.open(op, "mean", mean);
        ReferenceTensor tb = backend.openOrNull(op, "bias", bias);
        ReferenceTensor to = backend.open(op, "out", out);
        OpChecks.sampleGaussian(tm, tb, to, rng);
        long draw = rng.nextDraw();
        int cols = tm.cols();
        for (int r = 0; r < tm.rows(); r++) {
            for (int j = 0; j < cols; j++) {
                double z = Philox.normal(rng.seed(), rng.streamId(), draw, (long) r * cols + j);
                double v = (double) tm.get(r, j) + (tb == null ? 0.0 : tb.get(0, j)) + (double) stddev * z;
                to.set(r, j, (float) v);
            }
        }
    }

    @Override
    public void updateUnit(Tensor state, Tensor field, Tensor weights, int unit, UnitRule rule, Tensor clamp,
                           RandomStream rng) {
        String op = "updateUnit";
        ReferenceTensor ts = backend.open(op, "state", state);
        ReferenceTensor tf = backend.open(op, "field", field);
        ReferenceTensor tw = backend.open(op, "weights", weights);
        ReferenceTensor tc = backend.openOrNull(op, "clamp", clamp);
        OpChecks.updateUnit(ts, tf, tw, unit, rule, tc, rng);
        int n = ts.cols();
        long draw = rule.isStochastic() ? rng.nextDraw() : 0;
        for (int r = 0; r < ts.rows(); r++) {
            if (tc != null && tc.get(r, unit) != 0f) {
                continue;
            }
            float h = tf.get(r, unit);
            boolean high;
            if (rule.isStochastic()) {
                high = uniform(rng, draw, r) < rule.probabilityHigh(h);
            } else {
                high = h >= 0f;
            }
            float old = ts.get(r, unit);
            float now = high ? rule.high() : rule.low();
            ts.set(r, unit, now);
            double d = (double) now - old;
            if (d != 0) {
                for (int j = 0; j < n; j++) {
                    tf.set(r, j, (float) (tf.get(r, j) + d * tw.get(unit, j)));
                }
            }
        }
    }

    @Override
    public void leapfrog(Tensor q, Tensor p, Tensor grad, Tensor invMass, float kick, float drift) {
        String op = "leapfrog";
        ReferenceTensor tq = backend.open(op, "q", q);
        ReferenceTensor tp = backend.open(op, "p", p);
        ReferenceTensor tg = backend.open(op, "grad", grad);
        ReferenceTensor tm = backend.openOrNull(op, "invMass", invMass);
        OpChecks.leapfrog(tq, tp, tg, tm);
        for (int r = 0; r < tq.rows(); r++) {
            for (int j = 0; j < tq.cols(); j++) {
                float pv = tp.get(r, j);
                if (kick != 0f) {
                    pv = (float) (pv - (double) kick * tg.get(r, j));
                    tp.set(r, j, pv);
                }
                if (drift != 0f) {
                    double m = tm == null ? 1.0 : tm.get(0, j);
                    tq.set(r, j, (float) (tq.get(r, j) + (double) drift * m * pv));
                }
            }
        }
    }

    @Override
    public void metropolisSelect(Tensor current, Tensor currentEnergy, Tensor proposal, Tensor proposalEnergy,
                                 Tensor accepted, RandomStream rng) {
        String op = "metropolisSelect";
        ReferenceTensor tc = backend.open(op, "current", current);
        ReferenceTensor tce = backend.open(op, "currentEnergy", currentEnergy);
        ReferenceTensor tp = backend.open(op, "proposal", proposal);
        ReferenceTensor tpe = backend.open(op, "proposalEnergy", proposalEnergy);
        ReferenceTensor ta = backend.open(op, "accepted", accepted);
        OpChecks.metropolisSelect(tc, tce, tp, tpe, ta, rng);
        long draw = rng.nextDraw();
        int cols = tc.cols();
        for (int r = 0; r < tc.rows(); r++) {
            float eNew = tpe.get(r, 0);
            double ratio = Math.exp((double) tce.get(r, 0) - eNew);
            // NaN and +infinity proposals are rejected explicitly, so that a NaN current energy or
            // infinity - infinity cannot accept them.
            boolean accept = !Float.isNaN(eNew) && eNew != Float.POSITIVE_INFINITY && uniform(rng, draw, r) < ratio;
            ta.set(r, 0, accept ? 1f : 0f);
            if (accept) {
                for (int j = 0; j < cols; j++) {
                    tc.set(r, j, tp.get(r, j));
                }
                tce.set(r, 0, eNew);
            }
        }
    }
}
