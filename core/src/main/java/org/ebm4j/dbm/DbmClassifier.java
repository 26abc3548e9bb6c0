package org.ebm4j.dbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ebm4j.data.Dataset;
import org.ebm4j.dbn.ClassificationResult;
import org.ebm4j.dbn.Classifier;
import org.ebm4j.dbn.DbnModelFile;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.dbn.FineTuner;
import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.SavedModel;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.RunContext;
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
 * reference to the DBM to compute the posteriors of new data: not owned when made by {@link #fit}, owned
 * when read by {@link #load}.
 *
 * <p>Its model file ({@link #save}) is the DBM's ({@link DbmModelFile}: {@code W<l>}, {@code b<l>}, ...)
 * with {@code model=dbm-classifier}, the network's {@code net<i>.W} and {@code net<i>.b} as a DBN stores
 * its classifier ({@link DbnModelFile#putNetwork}), {@code dbm_classifier.classes} and the mean-field
 * settings of the augmenting posteriors ({@code dbm_classifier.mf_tolerance}, {@code .mf_iterations},
 * {@code .mf_damping}); its provenance records the fine-tuning options and data, and the DBM's own
 * provenance under {@code dbm.}.
 */
public final class DbmClassifier implements SavedModel {
    /** The {@code model} entry of a DBM classifier's model file. */
    public static final String MODEL_KIND = "dbm-classifier";
    private static final String WHAT = "DBM classifier";
    private static final int BATCH = Dbm.BATCH;

    private final Dbm dbm;
    private final Classifier net;
    private final MeanField meanField;
    private final Provenance provenance;
    private final boolean ownsDbm;

    private DbmClassifier(Dbm dbm, Classifier net, MeanField meanField, Provenance provenance, boolean ownsDbm) {
        this.dbm = dbm;
        this.net = net;
        this.meanField = Objects.requireNonNull(meanField, "meanField");
        this.provenance = provenance;
        this.ownsDbm = ownsDbm;
    }

    /**
     * Fine-tunes the unrolled {@code dbm} on the labelled rows of {@code data} for
     * {@code options.finetuneEpochs()} epochs; the epochs' reports carry {@code train_loss}. The same
     * DBM, data, options and backend give the same classifier bit for bit.
     *
     * @param meanField how the augmenting posteriors {@code q(h2 | v)} are found
     * @throws IllegalArgumentException when the data have no labels, a label outside
     *     {@code [0, options.classes())}, columns other than the DBM's visible units, or the options no
     *     fine-tuning epochs
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
        dbm.checkVisible(data);
        Backend b = dbm.backend();
        float[] targets;
        try {
            targets = ClassificationResult.oneHot(data.labels(), options.classes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(data.name() + ": " + e.getMessage() + " (classes " + options.classes()
                    + ")", e);
        }
        Map<String, String> entries = new LinkedHashMap<>(RunContext.of(b, data, data.sha256(), Checkpointing.none(),
                List.of(), Map.of()).provenance(MODEL_KIND, options.toMap(), options.seed()).entries());
        dbm.provenance().entries().forEach((k, v) -> entries.put("dbm." + k, v));
        Classifier net = unrolled(dbm, options);
        DbmClassifier c = new DbmClassifier(dbm, net, meanField, new Provenance(entries), false);
        try (Tensor x = c.inputs(data);
             Tensor t = b.fromArray(targets, data.rows(), options.classes());
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

    /** Reads a DBM classifier that {@link #save} wrote onto {@code backend}; the result owns its DBM. */
    public static DbmClassifier load(Path path, Backend backend) throws IOException {
        return of(ModelFile.read(path), path.toString(), backend);
    }

    /**
     * The DBM classifier a model file holds, on {@code backend}; errors (another kind of model, missing
     * or misshapen entries) name {@code source}.
     */
    public static DbmClassifier of(ModelFile f, String source, Backend backend) throws ModelFormatException {
        DbmModelFile d = DbmModelFile.from(f, source, MODEL_KIND, "a " + WHAT);
        int classes = f.parse("dbm_classifier.classes", Integer::parseInt, WHAT, source);
        double tolerance = f.parse("dbm_classifier.mf_tolerance", Double::parseDouble, WHAT, source);
        int iterations = f.parse("dbm_classifier.mf_iterations", Integer::parseInt, WHAT, source);
        MeanField mf = f.parse("dbm_classifier.mf_damping", v -> new MeanField(tolerance, iterations,
                Double.parseDouble(v)), WHAT, source);
        int[] sizes = networkSizes(d.parameters().sizes(), classes);
        float[][][] wb = DbnModelFile.network(f, sizes, source);
        Dbm dbm = Dbm.of(backend, d);
        Classifier net = null;
        try {
            net = new Classifier(backend, sizes);
            net.load(wb[0], wb[1]);
            return new DbmClassifier(dbm, net, mf, Provenance.fromMetadata(f.metadata()), true);
        } catch (RuntimeException | Error e) {
            if (net != null) {
                net.close();
            }
            dbm.close();
            throw e;
        }
    }

    @Override
    public ModelFile toModelFile() {
        DbmModelFile d = dbm.toDbmModelFile();
        Map<String, String> m = new LinkedHashMap<>(provenance.toMetadata());
        m.put("dbm_classifier.classes", Integer.toString(net.classes()));
        m.put("dbm_classifier.mf_tolerance", Double.toString(meanField.tolerance()));
        m.put("dbm_classifier.mf_iterations", Integer.toString(meanField.maxIterations()));
        m.put("dbm_classifier.mf_damping", Double.toString(meanField.damping()));
        ModelFile f = new DbmModelFile(d.parameters(), d.binarization(), d.visibleMeans(), m, d.centering())
                .toModelFile();
        f.putMetadata("model", MODEL_KIND);
        DbnModelFile.putNetwork(f, net.sizes(), net.hostWeights(), net.hostBiases());
        return f;
    }

    @Override
    public Provenance provenance() {
        return provenance;
    }

    /**
     * The unrolled network's layer sizes for a DBM of {@code sizes}: the visible units plus the second
     * hidden layer's (the input {@code [v, q(h2 | v)]}), the hidden layers, then {@code classes}.
     */
    private static int[] networkSizes(int[] s, int classes) {
        int depth = s.length - 1;
        int[] sizes = new int[depth + 2];
        sizes[0] = s[0] + s[2];
        System.arraycopy(s, 1, sizes, 1, depth);
        sizes[depth + 1] = classes;
        return sizes;
    }

    /** The unrolled network before fine-tuning (see the class comment). */
    static Classifier unrolled(Dbm dbm, DbnOptions options) {
        int[] s = dbm.sizes();
        int depth = s.length - 1;
        int[] sizes = networkSizes(s, options.classes());
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
        return evaluate(data, BATCH);
    }

    /** The confusion matrix and error rate on the labelled rows of {@code data}, {@code batch} rows per forward pass. */
    public ClassificationResult evaluate(Dataset data, int batch) {
        if (data.labels() == null) {
            throw new IllegalArgumentException(data.name() + " has no labels to evaluate against");
        }
        try (Tensor x = inputs(data)) {
            return ClassificationResult.evaluate(net, x, data.labels(), batch);
        }
    }

    /** The fine-tuned network (inputs: a data row followed by its {@code q(h2 | v)}). */
    public Classifier network() {
        return net;
    }

    /** The DBM whose posteriors augment the inputs. */
    public Dbm dbm() {
        return dbm;
    }

    /** How the augmenting posteriors {@code q(h2 | v)} are found. */
    public MeanField meanField() {
        return meanField;
    }

    /** Frees the network and, when read by {@link #load}, the DBM; idempotent as theirs are. */
    @Override
    public void close() {
        net.close();
        if (ownsDbm) {
            dbm.close();
        }
    }
}
