package org.ebm4j.dbm;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.data.Dataset;
import org.ebm4j.dbn.ClassificationResult;
import org.ebm4j.dbn.Classifier;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.dbn.FineTuner;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.TrainingRun;

/**
 * A DBM unrolled into a feed-forward classifier and fine-tuned by backpropagation, as Salakhutdinov
 * and Hinton (2009, section 4) do: the input is the data row {@code v} augmented with its mean-field
 * posterior {@code q(h2 | v)}; the first hidden layer has weights {@code [W1; W2']} and bias {@code b1}
 * (so before fine-tuning it computes one mean-field update of {@code h1} given {@code v} and
 * {@code q(h2)}), the next layers {@code W2, W3, ...} with their biases (a 3-layer DBM's top-down
 * input into {@code h2} is left out), and a new softmax layer with weights {@code N(0, init_std^2)}
 * from {@link StreamId#DBM_FINETUNE_INIT}. The network and its training are the DBN's
 * ({@link Classifier}, {@link FineTuner}), with the fine-tuning fields of a {@link DbnOptions}
 * ({@code finetune_*}, {@code classes}, {@code init_std}, {@code seed}). The classifier keeps a
 * reference to the DBM (not owned) to compute the posteriors of new data.
 */
public final class DbmClassifier implements AutoCloseable {
    private static final int BATCH = Dbm.BATCH;

    private final Dbm dbm;
    private final Classifier net;
    private final MeanField meanField;

    private DbmClassifier(Dbm dbm, Classifier net, MeanField meanField) {
        this.dbm = dbm;
        this.net = net;
        this.meanField = meanField;
    }

    /**
     * Fine-tunes the unrolled {@code dbm} on the labelled rows of {@code data} for
     * {@code options.finetuneEpochs()} epochs; the epochs' reports carry {@code train_loss}.
     *
     * @param meanField how the augmenting posteriors {@code q(h2 | v)} are found
     * @throws IllegalArgumentException when the data have no labels or the options no fine-tuning epochs
     */
    public static DbmClassifier fit(Dbm dbm, Dataset data, DbnOptions options, MeanField meanField,
                                    TrainingListener... listeners) {
        Objects.requireNonNull(dbm, "dbm");
        Objects.requireNonNull(options, "options");
        if (data.labels() == null) {
            throw new IllegalArgumentException(data.name() + " has no labels; fine-tuning needs them");
        }
        if (!options.fineTunes()) {
            throw new IllegalArgumentException("finetune_epochs must be >= 1 to fine-tune a DBM, found 0");
        }
        Backend b = dbm.backend();
        Classifier net = unrolled(dbm, options);
        DbmClassifier c = new DbmClassifier(dbm, net, meanField);
        try (Tensor x = c.inputs(data);
             Tensor t = b.fromArray(ClassificationResult.oneHot(data.labels(), options.classes()), data.rows(),
                     options.classes());
             FineTuner tuner = new FineTuner(net, options, x, t)) {
            TrainingRun.run(tuner, null, () -> {
                throw new IllegalStateException("DBM fine-tuning writes no checkpoints");
            }, Checkpointing.none(), data.rows(), (epoch, epochs) -> Map.of("train_loss",
                    tuner.lastEpochLoss()), List.of(listeners));
            return c;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    /** The unrolled network before fine-tuning (see the class comment). */
    static Classifier unrolled(Dbm dbm, DbnOptions options) {
        int[] s = dbm.sizes();
        int depth = s.length - 1;
        int[] sizes = new int[depth + 2];
        sizes[0] = s[0] + s[2];
        System.arraycopy(s, 1, sizes, 1, depth);
        sizes[depth + 1] = options.classes();
        Classifier net = new Classifier(dbm.backend(), sizes);
        Backend b = dbm.backend();
        float[] w1 = dbm.weights(1).toArray();
        float[] w2 = dbm.weights(2).toArray();
        float[] first = new float[sizes[0] * s[1]];
        System.arraycopy(w1, 0, first, 0, w1.length);
        for (int j = 0; j < s[1]; j++) {
            for (int k = 0; k < s[2]; k++) {
                first[(s[0] + k) * s[1] + j] = w2[j * s[2] + k];
            }
        }
        net.weights(0).copyFrom(first);
        b.copy(dbm.bias(1), net.bias(0));
        for (int l = 2; l <= depth; l++) {
            b.copy(dbm.weights(l), net.weights(l - 1));
            b.copy(dbm.bias(l), net.bias(l - 1));
        }
        b.sampler().fillNormal(net.weights(depth), 0f, (float) options.initWeightStd(),
                StreamId.DBM_FINETUNE_INIT.open(options.seed()));
        return net;
    }

    /** The network's inputs for {@code data}: each binarized row followed by its {@code q(h2 | v)}, on the backend. */
    Tensor inputs(Dataset data) {
        Dataset d = dbm.transform(data);
        int[] s = dbm.sizes();
        float[] q = dbm.features(data, 2, meanField);
        int cols = s[0] + s[2];
        float[] x = new float[d.rows() * cols];
        float[] v = d.values();
        for (int r = 0; r < d.rows(); r++) {
            System.arraycopy(v, r * s[0], x, r * cols, s[0]);
            System.arraycopy(q, r * s[2], x, r * cols + s[0], s[2]);
        }
        return dbm.backend().fromArray(x, d.rows(), cols);
    }

    /** The predicted class of every row of {@code data}. */
    public int[] predict(Dataset data) {
        try (Tensor x = inputs(data)) {
            return net.classify(x, BATCH);
        }
    }

    /** The confusion matrix and error rate on the labelled rows of {@code data}. */
    public ClassificationResult evaluate(Dataset data) {
        if (data.labels() == null) {
            throw new IllegalArgumentException(data.name() + " has no labels to evaluate against");
        }
        try (Tensor x = inputs(data)) {
            return ClassificationResult.evaluate(net, x, data.labels(), BATCH);
        }
    }

    /** The fine-tuned network (inputs: a data row followed by its {@code q(h2 | v)}). */
    public Classifier network() {
        return net;
    }

    @Override
    public void close() {
        net.close();
    }
}
