package org.ebm4j.cli.chain;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.DataOption;
import org.ebm4j.cli.EpochEvents;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.LearningCurve;
import org.ebm4j.cli.RunDirOption;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.cli.SgdFlags;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.structured.ChainLoss;
import org.ebm4j.structured.ChainModel;
import org.ebm4j.structured.GrammarSequences;
import org.ebm4j.structured.Sequences;
import org.ebm4j.tensor.Backend;
import org.ebm4j.train.Checkpointing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm chain train}: digit sequences drawn from a first-order grammar over MNIST images
 * ({@link GrammarSequences}), a chain factor graph fitted to them ({@link ChainModel#fit}), and the held-out
 * per-digit and whole-sequence accuracy of independent decoding and of Viterbi; writes {@code model.ebm}
 * and {@code learning-curve.png} into {@code --out}.
 */
@Command(name = "train", sortOptions = false,
        description = {"Train a chain factor graph on MNIST digit sequences from a first-order grammar: the next digit"
                + " is the previous + 1 (mod 10) with probability --follow, else uniform.",
                "Training sequences take images from the first images, test sequences from the last --held-out ones."},
        footer = "Example: ebm chain train --loss perceptron --limit 6000 --held-out 1000 --sequences 500 --out chain-run")
public final class ChainTrainCommand extends CliCommand {
    private static final int DIGITS = 10;

    @Mixin
    DataOption data = DataOption.mnist();

    @Option(names = "--limit", paramLabel = "N", description = "Use the first N images (both pools together).")
    Integer limit;

    @Option(names = "--held-out", paramLabel = "N", description = "Images at the end that only test sequences use (default: ${DEFAULT-VALUE}).")
    int heldOut = 1000;

    @Option(names = "--sequences", paramLabel = "N", description = "Training sequences (default: ${DEFAULT-VALUE}).")
    int sequences = 500;

    @Option(names = "--test-sequences", paramLabel = "N", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
    int testSequences = 200;

    @Option(names = "--length", paramLabel = "N", description = "Digits per sequence (default: ${DEFAULT-VALUE}).")
    int length = 8;

    @Option(names = "--follow", paramLabel = "X", description = "Probability that the next digit is the previous + 1 (default: ${DEFAULT-VALUE}).")
    double follow = 0.8;

    @Option(names = "--loss", paramLabel = "NAME", description = "perceptron, hinge (Hamming margin) or nll (default: ${DEFAULT-VALUE}).")
    String loss = "perceptron";

    @Option(names = "--margin", paramLabel = "X", description = "Hinge margin per differing digit (default: ${DEFAULT-VALUE}).")
    double margin = 1;

    @Option(names = "--loss-scale", paramLabel = "X", description = "beta of nll (default: ${DEFAULT-VALUE}).")
    double lossScale = 1;

    @Option(names = "--layers", paramLabel = "SPEC", description = "Hidden layers of the unary network (default: ${DEFAULT-VALUE}).")
    String layers = "64:softplus";

    @Mixin
    SgdFlags sgd = new SgdFlags(10, 5);

    @Mixin
    SeedOption seed;

    @Mixin
    RunDirOption run = new RunDirOption("chain-run");

    @Override
    public Integer call() throws IOException {
        FlagChecks.outputDirectory(spec, "--out", run.dir());
        FlagChecks.positive(spec, "--sequences", sequences);
        FlagChecks.positive(spec, "--test-sequences", testSequences);
        FlagChecks.positive(spec, "--length", length);
        FlagChecks.positive(spec, "--held-out", heldOut);
        if (!(follow >= 0 && follow <= 1)) {
            throw FlagChecks.error(spec, "--follow must lie in [0, 1] but was " + follow);
        }
        ConditionalOptions options;
        try {
            ChainLoss.byName(loss);
            options = ConditionalOptions.builder().loss(loss).margin(margin).lossScale(lossScale).layers(layers)
                    .learningRate(sgd.learningRate()).momentum(sgd.momentum()).weightDecay(sgd.weightDecay())
                    .batchSize(sgd.batch()).epochs(sgd.epochs()).seed(seed.value()).build();
        } catch (IllegalArgumentException e) {
            throw FlagChecks.settingError(spec, e);
        }
        Dataset images = data.source().load(Mnist.Split.TRAIN, ',');
        int rows = limit == null ? images.rows() : Math.min(FlagChecks.positive(spec, "--limit", limit), images.rows());
        if (heldOut >= rows) {
            throw FlagChecks.error(spec, "--held-out " + heldOut + " leaves no training images of the " + rows + " used");
        }
        Sequences train = GrammarSequences.draw(images.slice(0, rows - heldOut), DIGITS, sequences, length, follow,
                seed.value());
        Sequences test = GrammarSequences.draw(images.slice(rows - heldOut, rows), DIGITS, testSequences, length,
                follow, seed.value() + 1);
        long start = System.nanoTime();
        LearningCurve curve = new LearningCurve("epoch");
        try (Backend backend = openBackend();
             ChainModel m = ChainModel.fit(backend, train, DIGITS, options, Checkpointing.none(),
                     EpochEvents.reporting(output(), "loss"), curve)) {
            ChainModel.Accuracy independent = ChainModel.accuracy(test, m.decodeIndependently(test));
            ChainModel.Accuracy viterbi = ChainModel.accuracy(test, m.decode(test));
            try (StagedFiles staged = StagedFiles.in(run.dir())) {
                m.save(staged.stage(run.model()));
                curve.write(staged.stage(run.learningCurve()), "chain factor graph (" + loss + " loss) on "
                        + train.count() + " digit sequences");
                staged.commit();
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("loss", loss);
            r.put("train_sequences", train.count());
            r.put("test_sequences", test.count());
            r.put("length", length);
            r.put("follow", follow);
            r.put("independent_digit_accuracy", independent.perPosition());
            r.put("independent_sequence_accuracy", independent.wholeSequence());
            r.put("viterbi_digit_accuracy", viterbi.perPosition());
            r.put("viterbi_sequence_accuracy", viterbi.wholeSequence());
            r.put("seconds", secondsSince(start));
            r.put("model", run.model().toString());
            r.put("learning_curve_png", run.learningCurve().toString());
            output().result("done", r);
        }
        return 0;
    }
}
