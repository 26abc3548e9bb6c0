package org.ebm4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A backend that checks nothing and computes nothing: each raw operation only records its name, the
 * tensors it was handed and the stream position. Every rejection seen through it therefore comes from
 * the facade, and every recorded call is one the facade let through. With {@link #recording} off the
 * raw operations do nothing at all (not even build their argument lists), which isolates the
 * facade's own cost.
 */
final class RawRecordingBackend extends CheckedBackend<RawRecordingBackend.HeapTensor> {
    static final String NAME = "raw";

    /** One raw call: the operation, its tensors in argument order (null where none was given), the stream position. */
    record RawCall(String op, List<Tensor> tensors, long seed, int streamId, long draw) {
    }

    final List<RawCall> calls = new ArrayList<>();
    boolean recording = true;
    int closes;

    RawRecordingBackend() {
        super(HeapTensor.class);
    }

    /** A heap tensor of this backend. */
    static final class HeapTensor extends org.ebm4j.tensor.HeapTensor {
        HeapTensor(RawRecordingBackend backend, int rows, int cols) {
            super(backend, rows, cols);
        }
    }

    /** {@link #record} while recording; otherwise nothing (the tensors arrive in a list only when recorded). */
    private void recordIfOn(String op, Tensor... tensors) {
        if (recording) {
            record(op, tensors);
        }
    }

    private void record(String op, Tensor... tensors) {
        draw(op, 0L, 0, 0L, tensors);
    }

    private void draw(String op, long seed, int streamId, long draw, Tensor... tensors) {
        calls.add(new RawCall(op, Arrays.asList(tensors), seed, streamId, draw));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> describe() {
        return new LinkedHashMap<>(Map.of("backend", NAME));
    }

    @Override
    protected HeapTensor doAllocate(int rows, int cols) {
        return new HeapTensor(this, rows, cols);
    }

    @Override
    protected void doCopy(HeapTensor src, HeapTensor dst) {
        if (recording) {
            record("copy", src, dst);
        }
    }

    @Override
    protected void doFill(HeapTensor x, float value) {
        if (recording) {
            record("fill", x);
        }
    }

    @Override
    protected void doGatherRows(HeapTensor src, int[] rowIndices, int offset, HeapTensor dst) {
        if (recording) {
            record("gatherRows", src, dst);
        }
    }

    @Override
    protected void doGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, HeapTensor a, HeapTensor b,
                          float beta, HeapTensor c) {
        if (recording) {
            record("gemm", a, b, c);
        }
    }

    @Override
    protected void doAddRowVector(HeapTensor x, HeapTensor row, float alpha, HeapTensor out) {
        if (recording) {
            record("addRowVector", x, row, out);
        }
    }

    @Override
    protected void doElementwise(Elementwise op, HeapTensor a, HeapTensor b, HeapTensor out) {
        if (recording) {
            record(op.name().toLowerCase(Locale.ROOT), a, b, out);
        }
    }

    @Override
    protected void doScale(float alpha, HeapTensor x, HeapTensor out) {
        if (recording) {
            record("scale", x, out);
        }
    }

    @Override
    protected void doAxpy(float alpha, HeapTensor x, HeapTensor y) {
        if (recording) {
            record("axpy", x, y);
        }
    }

    @Override
    protected void doSigmoid(HeapTensor x, HeapTensor bias, HeapTensor out) {
        if (recording) {
            record("sigmoid", x, bias, out);
        }
    }

    @Override
    protected void doActivation(Activation f, HeapTensor x, HeapTensor bias, HeapTensor value, HeapTensor derivative) {
        if (recording) {
            record("activation", x, bias, value, derivative);
        }
    }

    @Override
    protected void doThreshold(HeapTensor x, float t, float below, float atOrAbove, HeapTensor out) {
        if (recording) {
            record("threshold", x, out);
        }
    }

    @Override
    protected void doColumnSums(HeapTensor x, float alpha, float beta, HeapTensor out) {
        if (recording) {
            record("columnSums", x, out);
        }
    }

    @Override
    protected void doRowSums(HeapTensor x, HeapTensor out) {
        if (recording) {
            record("rowSums", x, out);
        }
    }

    @Override
    protected void doSoftplusRowSums(HeapTensor x, HeapTensor bias, float scale, HeapTensor out) {
        if (recording) {
            record("softplusRowSums", x, bias, out);
        }
    }

    @Override
    protected void doRowSquaredNorms(HeapTensor x, HeapTensor weights, HeapTensor out) {
        if (recording) {
            record("rowSquaredNorms", x, weights, out);
        }
    }

    @Override
    protected void doSoftmaxCrossEntropy(HeapTensor logits, HeapTensor targets, HeapTensor probs, HeapTensor gradOut,
                                         HeapTensor lossPerRow) {
        if (recording) {
            record("softmaxCrossEntropy", logits, targets, probs, gradOut, lossPerRow);
        }
    }

    @Override
    protected void doArgmaxRows(HeapTensor x, HeapTensor out) {
        if (recording) {
            record("argmaxRows", x, out);
        }
    }

    @Override
    protected double doSum(HeapTensor x) {
        if (recording) {
            record("sum", x);
        }
        return 0;
    }

    @Override
    protected double doDot(HeapTensor a, HeapTensor b) {
        if (recording) {
            record("dot", a, b);
        }
        return 0;
    }

    @Override
    protected void doGatherOrderedRows(HeapTensor src, HeapTensor order, int offset, HeapTensor dst) {
        recordIfOn("gatherOrderedRows", src, order, dst);
    }

    @Override
    protected void doSumInto(HeapTensor a, HeapTensor b, HeapTensor sums, int slot) {
        recordIfOn("sumInto", a, b, sums);
    }

    @Override
    protected void doMomentumStep(float decay, HeapTensor velocity, HeapTensor parameter) {
        recordIfOn("momentumStep", velocity, parameter);
    }

    @Override
    protected void doBiasMomentumStep(HeapTensor data, float dataScale, HeapTensor model, float modelScale, float keep,
                                      HeapTensor velocity, HeapTensor parameter) {
        recordIfOn("biasMomentumStep", data, model, velocity, parameter);
    }

    @Override
    protected CheckedSampler<HeapTensor> newSampler() {
        return new Sampler();
    }

    @Override
    protected void doClose() {
        closes++;
    }

    /** The recording sampler. */
    private final class Sampler extends CheckedSampler<HeapTensor> {
        Sampler() {
            super(RawRecordingBackend.this);
        }

        @Override
        protected void doFillUniform(HeapTensor out, long seed, int streamId, long draw) {
            if (recording) {
                draw("fillUniform", seed, streamId, draw, out);
            }
        }

        @Override
        protected void doFillNormal(HeapTensor out, float mean, float stddev, long seed, int streamId, long draw) {
            if (recording) {
                draw("fillNormal", seed, streamId, draw, out);
            }
        }

        @Override
        protected void doSampleBernoulli(HeapTensor probs, HeapTensor out, long seed, int streamId, long draw) {
            if (recording) {
                draw("sampleBernoulli", seed, streamId, draw, probs, out);
            }
        }

        @Override
        protected void doSampleSigmoidBernoulli(HeapTensor x, HeapTensor bias, float scale, HeapTensor probs,
                                                HeapTensor samples, long seed, int streamId, long draw) {
            if (recording) {
                draw("sampleSigmoidBernoulli", seed, streamId, draw, x, bias, probs, samples);
            }
        }

        @Override
        protected void doSampleSigmoidBernoulliProduct(HeapTensor a, HeapTensor b, boolean transB, HeapTensor bias,
                                                       HeapTensor pre, HeapTensor probs, HeapTensor samples, long seed,
                                                       int streamId, long draw) {
            if (recording) {
                draw("sampleSigmoidBernoulliProduct", seed, streamId, draw, a, b, bias, pre, probs, samples);
            }
        }

        @Override
        protected void doSampleGaussian(HeapTensor mean, HeapTensor bias, float stddev, HeapTensor out, long seed,
                                        int streamId, long draw) {
            if (recording) {
                draw("sampleGaussian", seed, streamId, draw, mean, bias, out);
            }
        }

        @Override
        protected void doUpdateUnit(HeapTensor state, HeapTensor field, HeapTensor weights, int unit, UnitRule rule,
                                    HeapTensor clamp, long seed, int streamId, long draw) {
            if (recording) {
                draw("updateUnit", seed, streamId, draw, state, field, weights, clamp);
            }
        }

        @Override
        protected void doLeapfrog(HeapTensor q, HeapTensor p, HeapTensor grad, HeapTensor invMass, float kick,
                                  float drift) {
            if (recording) {
                record("leapfrog", q, p, grad, invMass);
            }
        }

        @Override
        protected void doMetropolisSelect(HeapTensor current, HeapTensor currentEnergy, HeapTensor proposal,
                                          HeapTensor proposalEnergy, HeapTensor accepted, long seed, int streamId,
                                          long draw) {
            if (recording) {
                draw("metropolisSelect", seed, streamId, draw, current, currentEnergy, proposal, proposalEnergy, accepted);
            }
        }
    }
}
