package org.ebm4j.cli.dbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.cli.EpochEvents;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.InitStdOption;
import org.ebm4j.cli.LearningCurve;
import org.ebm4j.cli.ModelFileCommand;
import org.ebm4j.cli.RunDirOption;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.cli.SgdFlags;
import org.ebm4j.cli.dbn.LabelledData;
import org.ebm4j.data.Dataset;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmClassifier;
import org.ebm4j.dbm.MeanField;
import org.ebm4j.dbn.ClassificationResult;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.rbm.LearningRateSchedule;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm dbm classify}: {@link Dbm#load}, the flags as the fine-tuning fields of a {@link DbnOptions},
 * then {@link DbmClassifier#fit} on the labelled training rows; writes the classifier
 * ({@code model.ebm}, which {@code ebm dbn eval} reads) and the training loss curve into {@code --out}
 * and prints the test error.
 */
@Command(name = "classify", sortOptions = false,
        description = {"Fine-tune a trained DBM into a classifier, as Salakhutdinov and Hinton (2009) do: the input "
                + "is the image with its mean-field posterior q(h2 | v), the hidden layers start from the DBM's "
                + "weights, a softmax layer is added, and backpropagation trains all of them on the labels.",
            "--data: an MNIST directory, an IDX image file (labels beside it) or mnist-10k (the default), as for "
                    + "ebm dbn train; prints the error on the test split (or the held-out rows)."},
        footer = "Example: ebm dbm classify --model dbm-run/model.ebm --data data/mnist --epochs 30 --out dbm-classifier")
public final class DbmClassifyCommand extends ModelFileCommand {
    /** Fine-tuning defaults of {@code ebm dbn train} except for the epochs and the learning rate. */
    private static final DbnOptions DEFAULTS = DbnOptions.builder().build();

    /**
     * A tenth of the DBN's: at 0.1 the loss of the unrolled 784-500-1000 DBM (1,784 inputs and the DBM's
     * large weights) rose to 30 nats in the first epochs before coming back (2,000 MNIST images); 0.01 fell
     * from the start.
     */
    private static final double LEARNING_RATE = 0.01;

    @Mixin
    LabelledData data;

    @Mixin
    RunDirOption run = new RunDirOption("dbm-classifier");

    @Mixin
    SgdFlags sgd = new SgdFlags(DEFAULTS.finetuneBatchSize(), 10, LEARNING_RATE,
            DEFAULTS.finetuneMomentum(), DEFAULTS.finetuneWeightDecay());

    @Option(names = "--lr-schedule", paramLabel = "constant|linear:F|exp:G", defaultValue = "constant",
            description = "Learning rate per epoch (default: ${DEFAULT-VALUE}).")
    String lrSchedule;

    /** The softmax layer's initial weights. */
    @Mixin
    InitStdOption initStd = new InitStdOption(DEFAULTS.initWeightStd());

    /** Of the softmax layer's weights and the order of the minibatches. */
    @Mixin
    SeedOption seed;

    /** The mean field of the inputs' posteriors q(h2 | v). */
    @Mixin
    MeanFieldFlags meanField;

    @Override
    public Integer call() throws IOException {
        data.validate(spec);
        run.check(spec);
        MeanField mf = meanField.meanField(spec);
        FlagChecks.positive(spec, "--epochs", sgd.epochs());
        LearningRateSchedule schedule = FlagChecks.parse(spec, "--lr-schedule", () -> LearningRateSchedule.parse(lrSchedule));
        // The flags' ranges before any work; the layers are the model's, read below.
        options(DEFAULTS.hiddenLayers().stream().mapToInt(Integer::intValue).toArray(), schedule);
        Dataset[] split = data.load(spec);
        long start = System.nanoTime();
        try (Backend backend = openBackend(); Dbm dbm = Dbm.load(model.path(), backend)) {
            int[] sizes = dbm.sizes();
            if (split[0].cols() != sizes[0]) {
                throw FlagChecks.error(spec, "the data has " + split[0].cols() + " columns (" + data.source()
                        + ") but the model " + model.path() + " has " + sizes[0] + " visible units");
            }
            DbnOptions options = options(Arrays.copyOfRange(sizes, 1, sizes.length), schedule);
            announce(backend, sizes, split);
            LearningCurve curve = new LearningCurve("fine-tuning epoch");
            // Staged after fitting, so that data the library refuses (a label out of range) leave --out untouched.
            try (DbmClassifier classifier = DbmClassifier.fit(dbm, split[0], options, mf,
                         EpochEvents.reporting(output(), "train_loss"), curve);
                 StagedFiles staged = StagedFiles.in(run.dir())) {
                double fitSeconds = secondsSince(start);
                long evalStart = System.nanoTime();
                ClassificationResult r = classifier.evaluate(split[1]);
                double evalSeconds = secondsSince(evalStart);
                run.stageModelAndCurve(staged, classifier, curve, "DBM " + shape(sizes) + " classifier on " + data.source());
                staged.commit();
                Map<String, Object> m = new LinkedHashMap<>();
                run.reportModelAndCurve(m);
                m.put("test_error", r.errorRate());
                m.put("test_errors", r.errors());
                m.put("test_rows", r.examples());
                m.put("fit_seconds", fitSeconds);
                m.put("eval_seconds", evalSeconds);
                m.put("seconds", secondsSince(start));
                output().result("done", m);
            }
        }
        return 0;
    }

    /** The fine-tuning options the flags say for a DBM of these hidden layers; a refused value is its flag's usage error. */
    private DbnOptions options(int[] hiddenLayers, LearningRateSchedule schedule) {
        return FlagChecks.options(spec, () -> DbnOptions.builder().hiddenLayers(hiddenLayers).pretrainEpochs(0)
                .classes(LabelledData.CLASSES).finetuneEpochs(sgd.epochs()).finetuneLearningRate(sgd.learningRate())
                .finetuneSchedule(schedule).finetuneMomentum(sgd.momentum()).finetuneWeightDecay(sgd.weightDecay())
                .finetuneBatchSize(sgd.batch()).initWeightStd(initStd.value()).seed(seed.value()).build());
    }

    private static String shape(int[] sizes) {
        return String.join("-", Arrays.stream(sizes).mapToObj(Integer::toString).toList());
    }

    private void announce(Backend backend, int[] sizes, Dataset[] split) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", backend.name());
        m.put("dbm", shape(sizes));
        m.put("data", data.source());
        m.put("train_rows", split[0].rows());
        m.put("test_rows", split[1].rows());
        m.put("out", run.dir().toString());
        output().progress("start", m);
    }
}
