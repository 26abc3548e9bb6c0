package org.ebm4j.conditional;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
import org.ebm4j.energy.EnergyModelFile;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.energy.TrainableEnergy;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.OwningModel;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.TrainingRun;

/**
 * A trained conditional energy {@code F(x, y)} over {@code K} answers (a classifier in LeCun's sense:
 * {@code y* = argmin_y F(x, y)}). {@link #fit} trains one on labelled data with a loss of the table;
 * {@link #save}/{@link #load} write and read it with its provenance.
 *
 * <p>Model file: {@code model} = {@value #KIND}, {@code conditional.encoding}, {@code conditional.inputs}, {@code conditional.answers},
 * {@code conditional.latent_values}, {@code conditional.latent_beta}, {@code conditional.energy_model}
 * (the joint network's kind) and the joint network's {@code energy.*} settings and tensors.
 */
public final class ConditionalModel extends OwningModel<ConditionalEnergy> {
    /** The {@code model} entry of the file. */
    public static final String KIND = "conditional-energy";
    private static final String PREFIX = "conditional.";
    /**
     * The per-epoch metric on the held-out rows that early stopping watches: their mean loss per example
     * under the options' loss, against every incorrect answer (also when training samples the contrastive
     * answers, so that the metric draws nothing and two epochs compare exactly); lower is better.
     */
    public static final String HELDOUT_METRIC = "heldout_loss";
    /** The per-epoch fraction of held-out rows whose {@link #predict prediction} differs from the label. */
    public static final String HELDOUT_ERROR = "heldout_error";

    private ConditionalModel(ConditionalEnergy energy, Provenance provenance) {
        super(energy, provenance, "conditional model", energy::close);
    }

    /** {@link #fit(Backend, Dataset, int, ConditionalOptions, Checkpointing, TrainingListener...)} on the default backend. */
    public static ConditionalModel fit(Dataset data, int answers, ConditionalOptions options,
                                       TrainingListener... listeners) {
        return fit(Backends.get(), data, answers, options, Checkpointing.none(), listeners);
    }

    /**
     * Trains a fresh conditional energy on {@code data} (inputs {@code rows x d} with a label per row in
     * {@code [0, answers)}). The joint network is initialized from {@link StreamId#CONDITIONAL_INIT}.
     * Each epoch reports its mean loss per example and training error.
     *
     * <p>Training safety ({@link ConditionalOptions#safety}): an update whose loss is non-finite ends its epoch, and
     * such an epoch, or one whose parameters are non-finite or grew a thousandfold, is rolled back to the
     * last good epoch with the learning rate halved, at most {@code max_rollbacks} times
     * ({@link TrainingListener#onRollback}). With {@code holdout} rows held out (the last rows of the data,
     * {@link HoldOut}), every epoch also reports {@link #HELDOUT_METRIC} and {@link #HELDOUT_ERROR} on them;
     * early stopping ({@code patience > 0}) watches {@link #HELDOUT_METRIC}, the model keeping the best
     * epoch's parameters ({@link TrainingListener#onEarlyStop}).
     *
     * @throws IllegalArgumentException when the data have no labels or a label is out of range
     */
    public static ConditionalModel fit(Backend backend, Dataset data, int answers, ConditionalOptions options,
                                       Checkpointing checkpointing, TrainingListener... listeners) {
        Objects.requireNonNull(options, "options");
        int[] labels = data.labels();
        if (labels == null) {
            throw new IllegalArgumentException(data.name() + " has no labels; a conditional energy learns from"
                    + " labelled rows");
        }
        options.requireMemory(data.cols(), answers, 1);
        HoldOut split = HoldOut.split(data, null, options.holdout());
        Dataset train = split.train();
        ConditionalEnergy f = newEnergy(backend, data.cols(), answers, options, StreamId.CONDITIONAL_INIT);
        return releasingOnFailure(f::close, () -> {
            Provenance during = Provenance.builder().model(KIND).options(options.toMap())
                    .data(data.name(), data.rows(), data.cols(), data.sha256()).seed(options.seed())
                    .backend(backend.name(), backend.describe()).build();
            try (Tensor x = train.toTensor(backend);
                 ConditionalTrainer trainer = new ConditionalTrainer(f, x, train.labels(), options)) {
                TrainingRun.run(trainer, null, () -> toModelFile(f, during),
                        file -> EnergyModelFile.restoreParameters(f.joint(), file), checkpointing,
                        trainer.batchesPerEpoch() * options.batchRows(train.rows()), (epoch, epochs) -> {
                            Map<String, Double> m = trainer.epochMetrics();
                            if (split.heldOut() != null) {
                                m.putAll(heldOut(f, split.heldOut(), options));
                            }
                            return m;
                        }, options.safety(split.heldOut() != null), List.of(listeners));
                return new ConditionalModel(f, during.withDraws(trainer.drawPositions()));
            }
        });
    }

    /**
     * {@link #HELDOUT_METRIC} and {@link #HELDOUT_ERROR} of {@code f} on labelled {@code rows}, evaluated in
     * chunks of the training batch size (the memory {@link ConditionalOptions#requireMemory} checked).
     */
    static Map<String, Double> heldOut(ConditionalEnergy f, Dataset rows, ConditionalOptions options) {
        AnswerLoss loss = options.exhaustiveLoss();
        int k = f.answers();
        int chunk = options.batchRows(rows.rows());
        double total = 0;
        int wrong = 0;
        for (int from = 0; from < rows.rows(); from += chunk) {
            Dataset part = rows.slice(from, Math.min(rows.rows(), from + chunk));
            double[] e;
            try (Tensor x = part.toTensor(f.joint().backend())) {
                e = f.energies(x);
            }
            total += loss.evaluate(e, part.labels(), k, new double[e.length], null);
            int[] guess = ConditionalEnergy.argminPerRow(e, k);
            for (int i = 0; i < guess.length; i++) {
                wrong += guess[i] != part.labels()[i] ? 1 : 0;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(HELDOUT_METRIC, total / rows.rows());
        m.put(HELDOUT_ERROR, (double) wrong / rows.rows());
        return m;
    }

    /**
     * A fresh conditional energy over {@code inputs} columns and {@code answers} answers shaped as
     * {@code options} say (encoding, layers, visible precision, latent), its joint network initialized from
     * {@code init} under {@code options.seed()}.
     */
    public static ConditionalEnergy newEnergy(Backend backend, int inputs, int answers, ConditionalOptions options,
                                              StreamId init) {
        EnergyNetwork net = new EnergyNetwork(backend,
                options.encoding().jointColumns(inputs, answers, options.latentValues()), options.layers(),
                options.visiblePrecision());
        net.initialize(init.open(options.seed()), options.weightScale(), options.initialScale());
        return new ConditionalEnergy(net, options.encoding(), inputs, answers, options.latentValues(),
                options.latentReduction());
    }

    /** A model around a conditional energy built by hand (owned: closed with the model); no provenance. */
    public static ConditionalModel of(ConditionalEnergy energy) {
        return new ConditionalModel(energy, new Provenance(Map.of()));
    }

    /** Reads a model written by {@link #save} onto {@code backend}. */
    public static ConditionalModel load(Path path, Backend backend) throws IOException {
        return fromModelFile(ModelFile.read(path), backend, path.toString());
    }

    /**
     * The model in {@code f} (as {@link #toModelFile()} writes it) onto {@code backend}: for files that hold
     * a conditional energy inside a larger model.
     *
     * @param source the file's name, for messages
     * @throws ModelFormatException when {@code f} does not hold a well-formed conditional energy
     */
    public static ConditionalModel fromModelFile(ModelFile f, Backend backend, String source) throws IOException {
        f.requireModel(KIND, "a conditional energy", source);
        ConditionalEnergy.Encoding encoding = f.parse(PREFIX + "encoding", ConditionalEnergy.Encoding::byName,
                "conditional energy", source);
        int inputs = f.parse(PREFIX + "inputs", Integer::parseInt, "conditional energy", source);
        int answers = f.parse(PREFIX + "answers", Integer::parseInt, "conditional energy", source);
        int latents = f.parse(PREFIX + "latent_values", Integer::parseInt, "conditional energy", source);
        double beta = f.parse(PREFIX + "latent_beta", Double::parseDouble, "conditional energy", source);
        TrainableEnergy joint = EnergyModelFile.embedded(backend, f, PREFIX + "energy_model", source);
        try {
            LatentReduction r = beta == Double.POSITIVE_INFINITY ? LatentReduction.minimum()
                    : LatentReduction.marginal(beta);
            return new ConditionalModel(new ConditionalEnergy(joint, encoding, inputs, answers, latents, r),
                    Provenance.fromMetadata(f.metadata()));
        } catch (IllegalArgumentException e) {
            joint.close();
            throw new ModelFormatException(source + ": malformed conditional energy: " + e.getMessage());
        }
    }

    private static ModelFile toModelFile(ConditionalEnergy f, Provenance provenance) {
        ModelFile file = EnergyModelFile.toModelFile(f.joint());
        file.putMetadata(PREFIX + "energy_model", file.metadata().get("model"));
        file.putMetadata("model", KIND);
        file.putMetadata(PREFIX + "encoding", f.encoding().id());
        file.putMetadata(PREFIX + "inputs", Integer.toString(f.inputs()));
        file.putMetadata(PREFIX + "answers", Integer.toString(f.answers()));
        file.putMetadata(PREFIX + "latent_values", Integer.toString(f.latentValues()));
        file.putMetadata(PREFIX + "latent_beta", Double.toString(f.latent().beta()));
        file.putMetadata(provenance.toMetadata());
        return file;
    }

    @Override
    protected ModelFile modelFile(Provenance provenance) {
        return toModelFile(owned(), provenance);
    }

    /** The conditional energy (owned by this model). */
    public ConditionalEnergy energy() {
        return owned();
    }

    /** {@code F(x_i, y)} for every row of {@code data} and answer, at {@code i K + y}. */
    public double[] energies(Dataset data) {
        try (Tensor x = inputs(data)) {
            return owned().energies(x);
        }
    }

    /** {@code y* = argmin_y F(x, y)} for every row of {@code data}. */
    public int[] predict(Dataset data) {
        try (Tensor x = inputs(data)) {
            return owned().infer(x);
        }
    }

    /** The fraction of rows of labelled {@code data} whose {@link #predict prediction} differs from the label. */
    public double errorRate(Dataset data) {
        int[] labels = data.labels();
        if (labels == null) {
            throw new IllegalArgumentException(data.name() + " has no labels to compare the predictions with");
        }
        int[] guess = predict(data);
        int wrong = 0;
        for (int i = 0; i < guess.length; i++) {
            wrong += guess[i] != labels[i] ? 1 : 0;
        }
        return (double) wrong / guess.length;
    }

    private Tensor inputs(Dataset data) {
        if (data.cols() != owned().inputs()) {
            throw new IllegalArgumentException(data.name() + " has " + data.cols() + " columns but the model takes "
                    + owned().inputs() + " inputs");
        }
        return data.toTensor(owned().joint().backend());
    }
}
