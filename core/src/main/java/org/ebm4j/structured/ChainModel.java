package org.ebm4j.structured;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.ebm4j.conditional.ConditionalEnergy;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
import org.ebm4j.energy.EnergyModelFile;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.OwningModel;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.TrainingRun;
import org.ebm4j.train.TrainingState;

/**
 * A trained chain factor graph ({@link ChainEnergy}): unary factors {@code F(x_t, y_t)} from a
 * conditional energy network and a learned {@code K x K} table of pairwise factors. {@link #fit} trains
 * one on labelled sequences with the structured perceptron, the Hamming-margin hinge or NLL
 * ({@link ChainTrainer}, options of a conditional energy: {@link ConditionalOptions}); {@link #decode}
 * is Viterbi, {@link #decodeIndependently} ignores the pairwise factors; {@link #save}/{@link #load} write
 * and read it with its provenance.
 *
 * <p>Model file: the unary conditional energy as {@link ConditionalModel} writes it, with {@code model} =
 * {@value #KIND}, {@code chain.unary_model} = {@value ConditionalModel#KIND} and the pairwise table as
 * tensor {@code chain.P} ({@code K x K}).
 */
public final class ChainModel extends OwningModel<ChainEnergy> {
    /** The tensor of the pairwise table {@code P} in the model file. */
    private static final String PAIR = "chain.P";

    /** The {@code model} entry of the file. */
    public static final String KIND = "chain-energy";

    private ChainModel(ChainEnergy chain, Provenance provenance) {
        super(chain, provenance, "chain model", chain::close);
    }

    /** Per-position and whole-sequence accuracy of one decoder on labelled sequences. */
    public record Accuracy(double perPosition, double wholeSequence) {
    }

    /**
     * The accuracies of both decoders on the same labelled sequences.
     *
     * @param independent each position's least-energy label, the pairwise factors ignored
     * @param viterbi     the least-energy label sequence
     */
    public record Evaluation(Accuracy independent, Accuracy viterbi) {
    }

    /**
     * The training defaults of a chain, which {@code ebm chain train} uses too: {@link
     * ConditionalOptions#builder()}'s with the {@code perceptron} loss (the simplest of the chain losses,
     * {@link ChainLoss}), one layer of 64 softplus units and batches of 10 sequences (a sequence holds
     * several positions, so 10 sequences carry about as many examples as the 50 rows of a conditional
     * energy's batch).
     */
    public static ConditionalOptions.Builder trainingOptions() {
        return ConditionalOptions.builder().loss("perceptron").layers("64:softplus").batchSize(10);
    }

    /** {@link #fit(Backend, Sequences, int, ConditionalOptions, Checkpointing, TrainingListener...)} on the default backend. */
    public static ChainModel fit(Sequences data, int labels, ConditionalOptions options, TrainingListener... listeners) {
        return fit(Backends.get(), data, labels, options, Checkpointing.none(), listeners);
    }

    /**
     * Trains a fresh chain on labelled {@code data} (labels in {@code [0, labels)}): the unary network is
     * built as {@code options} say and initialized from {@link StreamId#STRUCTURED_INIT}, the pairwise table
     * starts at zero. The loss must be {@code perceptron}, {@code hinge} or {@code nll}. Each epoch reports
     * its loss per position.
     *
     * <p>Training safety ({@link ConditionalOptions#safety}): a diverged epoch is rolled back with the rate
     * halved, at most {@code max_rollbacks} times. With {@code holdout} sequences held out (the last sequences
     * of {@code data}, not trained on), every epoch also reports {@link ConditionalModel#HELDOUT_METRIC} (their
     * loss per position under the options' loss) and {@link ConditionalModel#HELDOUT_ERROR} (the fraction of
     * their positions Viterbi decodes wrong); early stopping ({@code patience > 0}) watches
     * {@link ConditionalModel#HELDOUT_METRIC}, the model keeping the best epoch's parameters.
     *
     * @throws IllegalArgumentException when the loss is not a chain loss, the labels are absent or out of range, or
     *                                  the hold-out leaves no sequences to train on
     */
    public static ChainModel fit(Backend backend, Sequences data, int labels, ConditionalOptions options,
                                 Checkpointing checkpointing, TrainingListener... listeners) {
        Objects.requireNonNull(options, "options");
        ChainLoss.byName(options.loss()); // refuse a loss of the table that has no chain form before building anything
        Dataset positions = data.positions();
        options.requireMemory(positions.cols(), labels, Math.max(1, positions.rows() / Math.max(1, data.count())));
        HoldOut.trainingCount(positions.name(), data.count(), options.holdout(), "sequences");
        ChainEnergy chain = new ChainEnergy(ConditionalModel.newEnergy(backend, positions.cols(), labels, options,
                StreamId.STRUCTURED_INIT));
        return releasingOnFailure(chain::close, () -> train(chain, data, positions.sha256(), options, null,
                checkpointing, listeners));
    }

    /**
     * Continues the run that wrote {@code checkpoint} (a checkpoint of {@link #fit}) on the same {@code data}
     * (checked against the checksum in its provenance) with the checkpoint's options, exactly as if it had
     * not stopped: the result is identical to the uninterrupted run on the same backend.
     *
     * @throws IOException              when the checkpoint is unreadable, damaged or not a chain checkpoint
     *                                  (naming the file)
     * @throws IllegalArgumentException when {@code data} differ from the checkpoint's
     */
    public static ChainModel resume(Path checkpoint, Sequences data, Backend backend, Checkpointing checkpointing,
                                    TrainingListener... listeners) throws IOException {
        String source = checkpoint.toString();
        CheckpointWriter.Checkpoint c = CheckpointWriter.read(checkpoint);
        c.model().requireModel(KIND, "a chain factor graph", source);
        Provenance p = Provenance.fromMetadata(c.model().metadata());
        ConditionalOptions options = readOptions(p, source);
        String sha = p.requireSameData("data", "data.", data.positions(), source);
        ChainEnergy chain = fromModelFile(c.model(), backend, source);
        return releasingOnFailure(chain::close, () -> train(chain, data, sha, options, c.state(), checkpointing,
                listeners));
    }

    /**
     * The training options a model or checkpoint of {@link #fit} records, so a caller can compare them with
     * its own before {@link #resume}.
     *
     * @throws IOException when the file is unreadable or records no usable chain options (naming the file)
     */
    public static ConditionalOptions readOptions(Path path) throws IOException {
        String source = path.toString();
        ModelFile f = ModelFile.read(path).requireModel(KIND, "a chain factor graph", source);
        return readOptions(Provenance.fromMetadata(f.metadata()), source);
    }

    private static ConditionalOptions readOptions(Provenance p, String source) throws ModelFormatException {
        try {
            return ConditionalOptions.fromMap(p.options());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": the recorded training options are unusable: " + e.getMessage());
        }
    }

    // One run, fresh (resume null) or continued; sha: the positions' SHA-256, computed once by the caller.
    private static ChainModel train(ChainEnergy chain, Sequences data, String sha, ConditionalOptions options,
                                    TrainingState resume, Checkpointing checkpointing, TrainingListener[] listeners) {
        Backend backend = chain.pair().backend();
        Dataset positions = data.positions();
        Provenance during = Provenance.builder().model(KIND).options(options.toMap())
                .data(positions.name(), positions.rows(), positions.cols(), sha).seed(options.seed())
                .backend(backend.name(), backend.describe()).build();
        // The checkpoints' view of the chain while it trains: the same parameters, the provenance so far.
        ChainModel training = new ChainModel(chain, during);
        int kept = HoldOut.trainingCount(positions.name(), data.count(), options.holdout(), "sequences");
        Sequences train = data.slice(0, kept);
        try (ChainTrainer trainer = new ChainTrainer(chain, train, kept < data.count()
                ? data.slice(kept, data.count()) : null, options)) {
            TrainingRun.run(trainer, resume, training::toModelFile, file -> {
                EnergyModelFile.restoreParameters(chain.unary().joint(), file);
                chain.pair().copyFrom(file.tensors().get(PAIR).data());
            }, checkpointing, trainer.batchesPerEpoch() * options.batchRows(kept),
                    (epoch, epochs) -> trainer.epochMetrics(), options.safety(kept < data.count()),
                    List.of(listeners));
            return new ChainModel(chain, during.withDraws(trainer.drawPositions()));
        }
    }

    /** A model around a chain built by hand (owned: closed with the model); no provenance. */
    public static ChainModel of(ChainEnergy chain) {
        return new ChainModel(chain, new Provenance(Map.of()));
    }

    /** Reads a model written by {@link #save} on the default backend. */
    public static ChainModel load(Path path) throws IOException {
        return load(path, Backends.get());
    }

    /**
     * Reads a model written by {@link #save} onto {@code backend}.
     *
     * @throws IOException when the file is unreadable, damaged or not a chain model (the message names the file)
     */
    public static ChainModel load(Path path, Backend backend) throws IOException {
        String source = path.toString();
        ModelFile f = ModelFile.read(path);
        Provenance provenance = Provenance.fromMetadata(f.metadata());
        return new ChainModel(fromModelFile(f, backend, source), provenance);
    }

    // The chain a model file of this kind holds, on backend.
    private static ChainEnergy fromModelFile(ModelFile f, Backend backend, String source) throws IOException {
        f.requireModel(KIND, "a chain factor graph", source);
        f.putMetadata("model", f.require("chain.unary_model", source));
        ConditionalEnergy unary = ConditionalModel.fromModelFile(f, backend, source).energy();
        ChainEnergy chain = new ChainEnergy(unary);
        try {
            ModelFile.Entry p = f.tensor(PAIR, chain.labels(), chain.labels(), source);
            ModelFile.requireFinite(p, source);
            chain.pair().copyFrom(p.data());
            return chain;
        } catch (IOException | RuntimeException e) {
            chain.close();
            throw e;
        }
    }

    @Override
    protected ModelFile modelFile(Provenance provenance) {
        ChainEnergy chain = owned();
        ModelFile file = ConditionalModel.of(chain.unary()).toModelFile();
        file.putMetadata("chain.unary_model", file.metadata().get("model"));
        file.putMetadata("model", KIND);
        file.putTensor(PAIR, chain.labels(), chain.labels(), chain.pair().toArray());
        file.putMetadata(provenance.toMetadata());
        return file;
    }

    /** The chain (owned by this model). */
    public ChainEnergy chain() {
        return owned();
    }

    /** Viterbi: the label sequence of least energy for every sequence, positions one after another. */
    public int[] decode(Sequences data) {
        return onPositions(data, x -> owned().decode(x, data.lengths()));
    }

    /** Each position's {@code argmin_k F(x_t, k)}, the pairwise factors ignored. */
    public int[] decodeIndependently(Sequences data) {
        return onPositions(data, x -> owned().decodeIndependently(x));
    }

    /**
     * The per-position and whole-sequence accuracy of {@link #decodeIndependently} and of {@link #decode} on
     * labelled {@code data}.
     *
     * @throws IllegalArgumentException when the positions' width is not the chain's input width (naming the
     *                                  data) or they have no labels
     */
    public Evaluation evaluate(Sequences data) {
        return new Evaluation(accuracy(data, decodeIndependently(data)), accuracy(data, decode(data)));
    }

    /** The accuracy of {@code decoded} (positions one after another) against the labels of {@code data}. */
    public static Accuracy accuracy(Sequences data, int[] decoded) {
        int[] truth = data.positions().labels();
        if (truth == null || truth.length != decoded.length) {
            throw new IllegalArgumentException("accuracy needs a label per decoded position: " + decoded.length
                    + " decoded, " + (truth == null ? "no" : Integer.toString(truth.length)) + " labels");
        }
        int right = 0;
        int whole = 0;
        int at = 0;
        for (int len : data.lengths()) {
            boolean all = true;
            for (int t = 0; t < len; t++, at++) {
                boolean ok = truth[at] == decoded[at];
                right += ok ? 1 : 0;
                all &= ok;
            }
            whole += all ? 1 : 0;
        }
        return new Accuracy((double) right / truth.length, (double) whole / data.count());
    }

    // decoder applied to the sequences' positions on the chain's backend.
    private int[] onPositions(Sequences data, Function<Tensor, int[]> decoder) {
        ChainEnergy chain = owned();
        Dataset p = data.positions();
        if (p.cols() != chain.unary().inputs()) {
            throw new IllegalArgumentException(p.name() + " has " + p.cols() + " columns but the chain takes "
                    + chain.unary().inputs() + " inputs");
        }
        try (Tensor x = p.toTensor(chain.pair().backend())) {
            return decoder.apply(x);
        }
    }
}
