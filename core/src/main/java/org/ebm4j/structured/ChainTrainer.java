package org.ebm4j.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.conditional.ConditionalBatchTrainer;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.energy.MomentumUpdate;
import org.ebm4j.energy.TrainableEnergy;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.TrainingState;

/**
 * Learns a {@link ChainEnergy} from labelled sequences with a {@link ChainLoss}: each update takes
 * {@link ConditionalOptions#batchSize()} sequences, evaluates the unary factors of all their positions
 * in one forward pass, runs the loss's dynamic programme per sequence on the host and backpropagates
 * {@code dL/dU} into the network in one backward pass; {@code dL/dP} goes to the table. The options are a
 * conditional energy's: the loss must be {@code perceptron}, {@code hinge} (its margin is per differing
 * position) or {@code nll} (its loss scale is beta). Random streams: {@link StreamId#STRUCTURED_SHUFFLE}
 * for the order of the sequences. Not thread-safe.
 */
public final class ChainTrainer extends ConditionalBatchTrainer {
    /** The {@link #kind()} of this trainer, stored with its state. */
    public static final String KIND = "chain";

    private final ChainEnergy model;
    private final Sequences data;
    private final ChainLoss loss;
    private final int[] offsets;
    private final List<Tensor> grads;
    private final MomentumUpdate update;
    private final Tensor all;
    private final Sequences heldOut;
    private final Tensor heldOutPositions;
    private long iteration;
    private double epochLoss;
    private long epochPositions;

    /** A trainer that holds no sequences out. */
    public ChainTrainer(ChainEnergy model, Sequences data, ConditionalOptions options) {
        this(model, data, null, options);
    }

    /**
     * @param data    labelled sequences to train on
     * @param heldOut labelled sequences not trained on, on which {@link #epochMetrics()} reports
     *                {@link ConditionalModel#HELDOUT_METRIC} and {@link ConditionalModel#HELDOUT_ERROR}; null for none
     * @throws IllegalArgumentException when the positions' width is not the unary energy's, or labels are absent or
     *                                  out of range
     */
    public ChainTrainer(ChainEnergy model, Sequences data, Sequences heldOut, ConditionalOptions options) {
        super(KIND, options, StreamId.STRUCTURED_SHUFFLE, data.count());
        this.loss = ChainLoss.byName(options.loss());
        requireLabelled(model, data);
        if (heldOut != null) {
            requireLabelled(model, heldOut);
        }
        this.model = model;
        this.data = data;
        this.offsets = data.offsets();
        Backend b = model.pair().backend();
        this.grads = new ArrayList<>(model.unary().newGradients());
        grads.add(b.allocate(model.labels(), model.labels()));
        this.update = newUpdate(b, model.parameters(), model.parameterNames());
        this.all = data.positions().toTensor(b);
        this.heldOut = heldOut;
        this.heldOutPositions = heldOut == null ? null : heldOut.positions().toTensor(b);
    }

    private static void requireLabelled(ChainEnergy model, Sequences data) {
        if (data.positions().cols() != model.unary().inputs()) {
            throw new IllegalArgumentException("sequence positions have " + data.positions().cols()
                    + " columns but the chain's unary energy takes " + model.unary().inputs());
        }
        if (data.positions().labels() == null) {
            throw new IllegalArgumentException(data.positions().name() + " has no labels; chain training needs them");
        }
        for (int y : data.positions().labels()) {
            if (y < 0 || y >= model.labels()) {
                throw new IllegalArgumentException("label " + y + " is outside 0.." + (model.labels() - 1));
            }
        }
    }

    @Override
    protected void startEpoch() {
        epochLoss = 0;
        epochPositions = 0;
    }

    @Override
    protected boolean step(int[] order, int base) {
        Backend b = all.backend();
        int[] ids = Arrays.copyOfRange(order, base, base + perBatch);
        int[] index = rowsOf(offsets, data.lengths(), ids);
        int rows = index.length;
        try (Tensor x = b.allocate(rows, all.cols())) {
            b.gatherRows(all, index, 0, x);
            double[] u = model.unary().energies(x);
            double[] p = model.pairFactors();
            double[] dU = new double[u.length];
            double[] dP = new double[p.length];
            double l = losses(data.positions().labels(), index, lengths(data, ids), u, p, dU, dP);
            epochLoss += l;
            epochPositions += rows;
            if (!Double.isFinite(l)) {
                return false;
            }
            for (int i = 0; i < dU.length; i++) {
                dU[i] /= perBatch; // the update follows the mean over the batch's sequences
            }
            float[] dPf = new float[dP.length];
            for (int i = 0; i < dP.length; i++) {
                dPf[i] = (float) (dP[i] / perBatch);
            }
            for (Tensor g : grads) {
                b.fill(g, 0f);
            }
            model.unary().accumulateParameterGradient(x, dU, grads.subList(0, grads.size() - 1));
            grads.get(grads.size() - 1).copyFrom(dPf);
        }
        TrainableEnergy joint = model.unary().joint();
        int last = grads.size() - 1;
        update.apply(model.parameters(), grads, i -> i < last && joint.decays(i), options.weightDecay(),
                learningRate(), Double.POSITIVE_INFINITY);
        joint.parametersChanged();
        iteration++;
        return true;
    }

    // The rows of sequences ids (of sequences of these lengths starting at these offsets), one after another.
    private static int[] rowsOf(int[] offsets, int[] lengths, int[] ids) {
        int rows = 0;
        for (int id : ids) {
            rows += lengths[id];
        }
        int[] index = new int[rows];
        for (int s = 0, at = 0; s < ids.length; s++) {
            for (int t = 0; t < lengths[ids[s]]; t++) {
                index[at++] = offsets[ids[s]] + t;
            }
        }
        return index;
    }

    private static int[] lengths(Sequences seqs, int[] ids) {
        int[] out = new int[ids.length];
        for (int s = 0; s < ids.length; s++) {
            out[s] = seqs.lengths()[ids[s]];
        }
        return out;
    }

    /**
     * The summed loss of consecutive sequences of these {@code lengths} whose positions are the rows
     * {@code index} of labelled data and whose unary factors are {@code u} (one sequence after another),
     * adding the derivatives to {@code dU} and {@code dP}; the first non-finite sequence loss, when one is.
     */
    private double losses(int[] labels, int[] index, int[] lengths, double[] u, double[] p, double[] dU,
                          double[] dP) {
        int k = model.labels();
        double total = 0;
        for (int s = 0, at = 0; s < lengths.length; s++) {
            int len = lengths[s];
            int[] truth = new int[len];
            for (int t = 0; t < len; t++) {
                truth[t] = labels[index[at + t]];
            }
            double[] du = new double[len * k];
            double l = loss.evaluate(Arrays.copyOfRange(u, at * k, (at + len) * k), p, k, truth, options.margin(),
                    options.lossScale(), du, dP);
            if (!Double.isFinite(l)) {
                return l;
            }
            total += l;
            System.arraycopy(du, 0, dU, at * k, du.length);
            at += len;
        }
        return total;
    }

    /**
     * The last epoch's loss per position; with held-out sequences also {@link ConditionalModel#HELDOUT_METRIC},
     * their loss per position under the options' loss (comparable with the training loss), and
     * {@link ConditionalModel#HELDOUT_ERROR}, the fraction of their positions that Viterbi decodes wrong, both
     * of the chain as it is now (evaluated in chunks of a batch of sequences, drawing nothing from the random
     * streams).
     */
    public Map<String, Double> epochMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", epochPositions == 0 ? Double.NaN : epochLoss / epochPositions);
        if (heldOut == null) {
            return m;
        }
        Backend b = heldOutPositions.backend();
        int[] offs = heldOut.offsets();
        int[] labels = heldOut.positions().labels();
        double total = 0;
        long wrong = 0;
        for (int from = 0; from < heldOut.count() && Double.isFinite(total); from += perBatch) {
            int[] ids = new int[Math.min(heldOut.count(), from + perBatch) - from];
            int first = from;
            Arrays.setAll(ids, i -> first + i);
            int[] index = rowsOf(offs, heldOut.lengths(), ids);
            int[] lengths = lengths(heldOut, ids);
            try (Tensor x = b.allocate(index.length, heldOutPositions.cols())) {
                b.gatherRows(heldOutPositions, index, 0, x);
                double[] u = model.unary().energies(x);
                double[] p = model.pairFactors();
                total += losses(labels, index, lengths, u, p, new double[u.length], new double[p.length]);
                int[] decoded = ChainEnergy.decode(u, p, lengths, model.labels());
                for (int i = 0; i < index.length; i++) {
                    wrong += decoded[i] != labels[index[i]] ? 1 : 0;
                }
            }
        }
        m.put(ConditionalModel.HELDOUT_METRIC, total / heldOut.positions().rows());
        m.put(ConditionalModel.HELDOUT_ERROR, (double) wrong / heldOut.positions().rows());
        return m;
    }

    /** Counter {@code iteration}; arrays {@code velocity.NAME} per parameter (the table's is {@code velocity.P}). */
    @Override
    protected void saveState(TrainingState.Builder s) {
        update.save(s, model.parameterNames(), iteration);
    }

    @Override
    protected void restoreState(TrainingState s) {
        iteration = update.restore(s, model.parameterNames());
    }

    @Override
    public void close() {
        all.close();
        if (heldOutPositions != null) {
            heldOutPositions.close();
        }
        grads.forEach(Tensor::close);
        update.close();
    }
}
