package org.ebm4j.conditional;

import java.util.List;
import java.util.Map;
import org.ebm4j.energy.MomentumUpdate;
import org.ebm4j.energy.TrainableEnergy;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.LossErrorTally;
import org.ebm4j.train.TrainingState;

/**
 * Learns a {@link ConditionalEnergy} from labelled examples with a loss of the table
 * ({@link AnswerLoss}): each update takes a minibatch, evaluates {@code F(x_i, y)} for every answer in
 * one forward pass, turns the loss's {@code dL/dF} into {@code dL/dtheta} in one backward pass (through
 * the latent reduction) and takes a {@link MomentumUpdate} step (momentum SGD or Adam). An epoch is one pass over the data in a
 * fresh random order in full minibatches.
 *
 * <p>Random streams, under {@link ConditionalOptions#seed()}: {@link StreamId#CONDITIONAL_SHUFFLE} for
 * the permutations, {@link StreamId#CONDITIONAL_SAMPLING} for sampled contrastive answers. The state:
 * the update count, the velocities and both streams' positions. Not thread-safe.
 */
public final class ConditionalTrainer extends ConditionalBatchTrainer {
    /** The {@link #kind()} of this trainer, stored with its state. */
    public static final String KIND = "conditional";

    private final ConditionalEnergy model;
    private final Tensor data;
    private final int[] labels;
    private final AnswerLoss loss;
    private final RandomStream sampling;
    private final Tensor batch;
    private final int[] batchLabels;
    private final List<Tensor> grads;
    private final MomentumUpdate update;
    private long iteration;
    private final LossErrorTally tally = new LossErrorTally();

    /**
     * @param data {@code N x inputs} on the model's backend (not copied: keep it open and unchanged)
     * @param labels the {@code N} correct answers in {@code [0, answers)}
     */
    public ConditionalTrainer(ConditionalEnergy model, Tensor data, int[] labels, ConditionalOptions options) {
        super(KIND, options, StreamId.CONDITIONAL_SHUFFLE, data.rows());
        if (data.cols() != model.inputs()) {
            throw new IllegalArgumentException("training inputs have " + data.cols() + " columns but the model takes "
                    + model.inputs());
        }
        if (labels.length != data.rows()) {
            throw new IllegalArgumentException("expected one label per row (" + data.rows() + "), found "
                    + labels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= model.answers()) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is outside 0.."
                        + (model.answers() - 1));
            }
        }
        this.model = model;
        this.data = data;
        this.labels = labels;
        this.loss = options.answerLoss();
        this.sampling = openStream(StreamId.CONDITIONAL_SAMPLING, options.seed(), "sampling");
        Backend b = model.joint().backend();
        this.batch = b.allocate(perBatch, model.inputs());
        this.batchLabels = new int[perBatch];
        this.grads = model.newGradients();
        this.update = newUpdate(b, model.joint().parameters(), model.joint().parameterNames());
    }

    @Override
    protected void startEpoch() {
        tally.reset();
    }

    @Override
    protected boolean step(int[] order, int base) {
        Backend b = batch.backend();
        b.gatherRows(data, order, base, batch);
        for (int i = 0; i < perBatch; i++) {
            batchLabels[i] = labels[order[base + i]];
        }
        double[] f = model.energies(batch);
        double[] dLdF = new double[f.length];
        double total = loss.evaluate(f, batchLabels, model.answers(), dLdF, sampling);
        if (!Double.isFinite(total)) {
            tally.addBatch(total, perBatch, perBatch);
            return false;
        }
        int[] guess = ConditionalEnergy.argminPerRow(f, model.answers());
        int wrong = 0;
        for (int i = 0; i < perBatch; i++) {
            wrong += guess[i] != batchLabels[i] ? 1 : 0;
        }
        for (int i = 0; i < dLdF.length; i++) {
            dLdF[i] /= perBatch; // the update follows the batch mean
        }
        tally.addBatch(total, wrong, perBatch);
        for (Tensor g : grads) {
            b.fill(g, 0f);
        }
        model.accumulateParameterGradient(batch, dLdF, grads);
        TrainableEnergy joint = model.joint();
        update.apply(joint.parameters(), grads, joint::decays, options.weightDecay(), learningRate(),
                Double.POSITIVE_INFINITY);
        joint.parametersChanged();
        iteration++;
        return true;
    }

    /** The last epoch's mean loss per example and its training error (the minibatches' argmin before each update). */
    public Map<String, Double> epochMetrics() {
        return tally.metrics();
    }

    /** Updates done so far. */
    public long iteration() {
        return iteration;
    }

    /** Counter {@code iteration}; arrays {@code velocity.NAME} per parameter. */
    @Override
    protected void saveState(TrainingState.Builder s) {
        update.save(s, model.joint().parameterNames(), iteration);
    }

    @Override
    protected void restoreState(TrainingState s) {
        iteration = update.restore(s, model.joint().parameterNames());
    }

    @Override
    public void close() {
        batch.close();
        grads.forEach(Tensor::close);
        update.close();
    }
}
