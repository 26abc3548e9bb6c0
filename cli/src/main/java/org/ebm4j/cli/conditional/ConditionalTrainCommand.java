package org.ebm4j.cli.conditional;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.LearningCurve;
import org.ebm4j.cli.EpochEvents;
import org.ebm4j.cli.HeldOutImages;
import org.ebm4j.cli.RunDirOption;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.conditional.ConditionalModel;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.data.Dataset;
import org.ebm4j.tensor.Backend;
import org.ebm4j.train.Checkpointing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm conditional train}: MNIST digits classified by a conditional energy {@code F(x, y)}
 * ({@link ConditionalModel#fit}), reporting each epoch's loss and training error (and with
 * {@code --holdout}, the held-out rows' loss and error, which early stopping watches), rollbacks and an
 * early stop, and the test error at the end; writes {@code model.ebm} and {@code learning-curve.png} into {@code --out}.
 */
@Command(name = "train", sortOptions = false, resourceBundle = "org.ebm4j.cli.conditional.ConditionalTrainCommand",
        description = {"Train a conditional energy F(x, y) on MNIST digits with a loss of LeCun's table."},
        footer = "Example: ebm conditional train --loss hinge --margin 1 --limit 5000 --held-out 1000 --epochs 5")
public final class ConditionalTrainCommand extends CliCommand {
    /** The library's training defaults of this family, which are this command's. */
    private static final ConditionalOptions DEFAULTS = ConditionalOptions.builder().build();

    @Mixin
    HeldOutImages images;

    @Mixin
    AnswerLossFlags answer = new AnswerLossFlags(DEFAULTS);

    @Option(names = "--margin-per-distance", paramLabel = "X", description = "Adds this times |y - y'| to the margin (default: ${DEFAULT-VALUE}).")
    double marginPerDistance = DEFAULTS.marginPerDistance();

    @Option(names = "--sampled-answers", paramLabel = "N",
            description = "Contrastive answers drawn from exp(-beta F) per example; 0: every incorrect answer (default: ${DEFAULT-VALUE}).")
    int sampledAnswers = DEFAULTS.sampledAnswers();

    @Option(names = "--latent-values", paramLabel = "N", description = "Values of a discrete latent variable; 0: none (default: ${DEFAULT-VALUE}).")
    int latentValues = DEFAULTS.latentValues();

    @Option(names = "--latent-beta", paramLabel = "X", description = "Inverse temperature of the latent's marginalization; Infinity: minimum (default: ${DEFAULT-VALUE}).")
    double latentBeta = DEFAULTS.latentBeta();

    @Mixin
    SeedOption seed;

    @Mixin
    RunDirOption run = new RunDirOption("conditional-run");

    @Override
    public Integer call() throws IOException {
        run.check(spec);
        if (images.limit() != null) {
            FlagChecks.positive(spec, "--limit", images.limit());
        }
        FlagChecks.atLeast(spec, "--held-out", images.heldOut(), 1);
        ConditionalOptions options = answer.options(spec, seed.value(), b -> b.marginPerDistance(marginPerDistance)
                .sampledAnswers(sampledAnswers).latentValues(latentValues).latentBeta(latentBeta));
        Dataset[] split = images.split(spec, "rows");
        Dataset train = split[0];
        Dataset test = split[1];
        answer.holdout().trainingCount(train.name(), train.rows(), "rows");
        String[] metrics = answer.holdout().metrics("loss", "train_error");
        long start = System.nanoTime();
        LearningCurve curve = new LearningCurve("epoch");
        try (Backend backend = openBackend();
             ConditionalModel m = ConditionalModel.fit(backend, train, 10, options, Checkpointing.none(),
                     EpochEvents.reporting(output(), metrics), curve)) {
            double testError = m.errorRate(test);
            try (StagedFiles staged = StagedFiles.in(run.dir())) {
                run.stageModelAndCurve(staged, m, curve, "conditional energy (" + answer.loss() + " loss) on "
                        + train.name());
                staged.commit();
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("loss", answer.loss());
            r.put("train_rows", train.rows() - options.holdout());
            r.put("holdout_rows", options.holdout());
            r.put("test_rows", test.rows());
            r.put("test_error", testError);
            r.put("seconds", secondsSince(start));
            run.reportModelAndCurve(r);
            output().result("done", r);
        }
        return 0;
    }
}
