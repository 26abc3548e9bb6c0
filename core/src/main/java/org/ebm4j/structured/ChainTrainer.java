package org.ebm4j.structured;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.conditional.ConditionalBatchTrainer;
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
    private long iteration;
    private double epochLoss;
    private long epochPositions;

    public ChainTrainer(ChainEnergy model, Sequences data, ConditionalOptions options) {
        super(KIND, options, StreamId.STRUCTURED_SHUFFLE, data.count());
        this.loss = ChainLoss.byName(options.loss());
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
        this.model = model;
        this.data = data;
        this.offsets = data.offsets();
        Backend b = model.pair().backend();
        this.grads = new ArrayList<>(model.unary().newGradients());
        Tensor pg = b.allocate(model.labels(), model.labels());
        b.fill(pg, 0f);
        grads.add(pg);
        this.update = newUpdate(b, model.parameters(), model.parameterNames());
        this.all = data.positions().toTensor(b);
    }

    @Override
    protected void startEpoch() {
        epochLoss = 0;
        epochPositions = 0;
    }

    @Override
    protected boolean step(int[] order, int base) {
        Backend b = all.backend();
        int k = model.labels();
        int rows = 0;
        for (int s = 0; s < perBatch; s++) {
            rows += data.lengths()[order[base + s]];
        }
        int[] index = new int[rows];
        int[] lengths = new int[perBatch];
        for (int s = 0, at = 0; s < perBatch; s++) {
            int seq = order[base + s];
            lengths[s] = data.lengths()[seq];
            for (int t = 0; t < lengths[s]; t++) {
                index[at++] = offsets[seq] + t;
            }
        }
        try (Tensor x = b.allocate(rows, all.cols())) {
            b.gatherRows(all, index, 0, x);
            double[] u = model.unary().energies(x);
            double[] p = model.pairFactors();
            double[] dU = new double[u.length];
            double[] dP = new double[p.length];
            int[] labels = data.positions().labels();
            for (int s = 0, at = 0; s < perBatch; s++) {
                int len = lengths[s];
                int[] truth = new int[len];
                for (int t = 0; t < len; t++) {
                    truth[t] = labels[index[at + t]];
                }
                double[] du = new double[len * k];
                double l = loss.evaluate(Arrays.copyOfRange(u, at * k, (at + len) * k), p, k, truth, options.margin(),
                        options.lossScale(), du, dP);
                if (!Double.isFinite(l)) {
                    epochLoss += l;
                    epochPositions += len;
                    return false;
                }
                epochLoss += l;
                System.arraycopy(du, 0, dU, at * k, du.length);
                at += len;
            }
            epochPositions += rows;
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

    /** The last epoch's loss per position. */
    public Map<String, Double> epochMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", epochPositions == 0 ? Double.NaN : epochLoss / epochPositions);
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
        grads.forEach(Tensor::close);
        update.close();
    }
}
