package org.ebm4j.segmentation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebm4j.conditional.ConditionalBatchTrainer;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.energy.MomentumUpdate;
import org.ebm4j.energy.TrainableEnergy;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.LossErrorTally;
import org.ebm4j.train.TrainingState;

/**
 * Trains a {@link SegmentationEnergy} end to end on labelled digit strings: each update takes
 * {@link ConditionalOptions#batchSize()} strings, evaluates every segment of all of them in one forward
 * pass of the segment network, runs the {@link SegmentationLoss}'s dynamic programmes per string on the
 * host, and backpropagates the derivatives with respect to the segment energies into the network in one
 * backward pass; then a {@link MomentumUpdate} step. Random streams, under the seed:
 * {@link StreamId#SEGMENTATION_SHUFFLE} for the order of the strings. The state: the velocities and the
 * stream's position. Not thread-safe.
 */
public final class SegmentationTrainer extends ConditionalBatchTrainer {
    /** The {@link #kind()} of this trainer, stored with its state. */
    public static final String KIND = "segmentation";

    private final SegmentationEnergy model;
    private final List<DigitString> data;
    private final List<SegmentationGraph> graphs;
    private final List<DigitString> heldOut;
    private final List<SegmentationGraph> heldOutGraphs;
    private final SegmentationLoss loss;
    private final List<Tensor> grads;
    private final MomentumUpdate update;
    private final LossErrorTally tally = new LossErrorTally();

    /** A trainer that holds no strings out. */
    public SegmentationTrainer(SegmentationEnergy model, List<DigitString> data, ConditionalOptions options) {
        this(model, data, List.of(), options);
    }

    /**
     * @param data    labelled strings whose lengths the model's options allow
     * @param heldOut labelled strings not trained on, on which {@link #epochMetrics()} reports
     *                {@link ConditionalModel#HELDOUT_METRIC} and {@link ConditionalModel#HELDOUT_ERROR} (none: empty)
     * @throws IllegalArgumentException when a string's length is outside the allowed answers or no
     *         segmentation of its graph fits its digits
     */
    public SegmentationTrainer(SegmentationEnergy model, List<DigitString> data, List<DigitString> heldOut,
                               ConditionalOptions options) {
        super(KIND, options, StreamId.SEGMENTATION_SHUFFLE, strings(data));
        this.loss = SegmentationLoss.of(options);
        this.graphs = graphs(model, data, "string ");
        this.heldOutGraphs = graphs(model, heldOut, "held-out string ");
        this.model = model;
        this.data = List.copyOf(data);
        this.heldOut = List.copyOf(heldOut);
        this.grads = model.segment().newGradients();
        this.update = newUpdate(model.segment().joint().backend(), model.segment().joint().parameters(),
                model.segment().joint().parameterNames());
    }

    // The graph of every string, refusing one whose length the model does not read; what names it in messages.
    private static List<SegmentationGraph> graphs(SegmentationEnergy model, List<DigitString> strings, String what) {
        SegmentationOptions g = model.options();
        List<SegmentationGraph> out = new ArrayList<>(strings.size());
        for (int i = 0; i < strings.size(); i++) {
            DigitString x = strings.get(i);
            if (x.digits().length < g.minDigits() || x.digits().length > g.maxDigits()) {
                throw new IllegalArgumentException(what + i + " has " + x.digits().length + " digits; the model"
                        + " reads " + g.minDigits() + " to " + g.maxDigits());
            }
            out.add(model.graph(x));
        }
        return out;
    }

    /** The number of training strings, refusing none before any stream is opened. */
    private static int strings(List<DigitString> data) {
        if (data.isEmpty()) {
            throw new IllegalArgumentException("expected >= 1 training strings, found none");
        }
        return data.size();
    }

    @Override
    protected void startEpoch() {
        tally.reset();
    }

    @Override
    protected boolean step(int[] order, int base) {
        List<DigitString> xs = new ArrayList<>(perBatch);
        List<SegmentationGraph> gs = new ArrayList<>(perBatch);
        for (int i = 0; i < perBatch; i++) {
            xs.add(data.get(order[base + i]));
            gs.add(graphs.get(order[base + i]));
        }
        try (Tensor w = model.windows(xs, gs)) {
            double[] f = model.segment().energies(w);
            double[] dLdF = new double[f.length];
            // The update follows the batch mean.
            if (!score(xs, gs, f, 1.0 / perBatch, dLdF, tally)) {
                return false;
            }
            for (Tensor g : grads) {
                g.backend().fill(g, 0f);
            }
            model.segment().accumulateParameterGradient(w, dLdF, grads);
        }
        TrainableEnergy joint = model.segment().joint();
        update.apply(joint.parameters(), grads, joint::decays, options.weightDecay(), learningRate(),
                Double.POSITIVE_INFINITY);
        joint.parametersChanged();
        return true;
    }

    /**
     * Adds each string's loss, and whether its reading (before the update) is wrong, to {@code into}, and
     * {@code scale} times the loss's derivatives with respect to the segment energies {@code f} (the
     * strings' segments one after another) to {@code dLdF}; false, after the first non-finite loss, when
     * one is.
     */
    private boolean score(List<DigitString> xs, List<SegmentationGraph> gs, double[] f, double scale, double[] dLdF,
                          LossErrorTally into) {
        int k = model.answers();
        int at = 0;
        for (int i = 0; i < xs.size(); i++) {
            int n = gs.get(i).segments() * k;
            double[] fi = java.util.Arrays.copyOfRange(f, at, at + n);
            double[] gi = new double[n];
            double l = loss.evaluate(gs.get(i), fi, xs.get(i).digits(), k, scale, gi);
            if (!Double.isFinite(l)) {
                into.add(l, true);
                return false;
            }
            Lattice all = gs.get(i).all(k);
            int[] read = gs.get(i).read(all, all.bestPath(fi), k).digits();
            into.add(l, !java.util.Arrays.equals(read, xs.get(i).digits()));
            System.arraycopy(gi, 0, dLdF, at, n);
            at += n;
        }
        return true;
    }

    /**
     * The last epoch's mean loss per string and its whole-string training error (readings before each
     * update); with held-out strings also {@link ConditionalModel#HELDOUT_METRIC}, their mean loss per string
     * under the options' loss, and {@link ConditionalModel#HELDOUT_ERROR}, the fraction read wrong, both of
     * the model as it is now (evaluated in chunks of a batch, drawing nothing from the random streams).
     */
    public Map<String, Double> epochMetrics() {
        Map<String, Double> m = tally.metrics();
        if (heldOut.isEmpty()) {
            return m;
        }
        LossErrorTally held = new LossErrorTally();
        for (int from = 0; from < heldOut.size(); from += perBatch) {
            List<DigitString> xs = heldOut.subList(from, Math.min(heldOut.size(), from + perBatch));
            List<SegmentationGraph> gs = heldOutGraphs.subList(from, from + xs.size());
            try (Tensor w = model.windows(xs, gs)) {
                double[] f = model.segment().energies(w);
                if (!score(xs, gs, f, 0, new double[f.length], held)) {
                    break;
                }
            }
        }
        Map<String, Double> h = held.metrics();
        m.put(ConditionalModel.HELDOUT_METRIC, h.get("loss"));
        m.put(ConditionalModel.HELDOUT_ERROR, h.get("train_error"));
        return m;
    }

    /** Arrays {@code velocity.NAME} per parameter of the segment network. */
    @Override
    protected void saveState(TrainingState.Builder s) {
        update.save(s, model.segment().joint().parameterNames());
    }

    @Override
    protected void restoreState(TrainingState s) {
        update.load(update.read(s, model.segment().joint().parameterNames()));
    }

    @Override
    public void close() {
        grads.forEach(Tensor::close);
        update.close();
    }
}
