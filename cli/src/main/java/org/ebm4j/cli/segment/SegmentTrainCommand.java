package org.ebm4j.cli.segment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.cli.EpochEvents;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.LearningCurve;
import org.ebm4j.cli.RunDirOption;
import org.ebm4j.cli.conditional.AnswerLossFlags;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.segmentation.DigitString;
import org.ebm4j.segmentation.SegmentationModel;
import org.ebm4j.segmentation.SegmentationOptions;
import org.ebm4j.tensor.Backend;
import org.ebm4j.train.Checkpointing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm segment train}: a latent-segmentation recognizer trained end to end on strings composed from
 * MNIST digits ({@link SegmentationModel#fit}), reporting each epoch's loss and training error (and with
 * {@code --holdout}, the held-out strings' loss and error, which early stopping watches), rollbacks and an
 * early stop, then the
 * held-out accuracies found and given the true segmentation; writes {@code model.ebm},
 * {@code learning-curve.png} and {@code segmentation.png} (held-out strings with the cuts read) into
 * {@code --out}.
 */
@Command(name = "train", sortOptions = false, resourceBundle = "org.ebm4j.cli.segment.SegmentTrainCommand",
        description = {"Train a latent-segmentation recognizer of digit strings with the perceptron, LVQ2 or NLL loss."},
        footer = "Example: ebm segment train --loss nll --strings 2000 --held-out 500 --epochs 5")
public final class SegmentTrainCommand extends CliCommand {
    @Mixin
    DigitStringFlags strings;

    @Option(names = "--strings", paramLabel = "N", description = "Training strings (default: ${DEFAULT-VALUE}).")
    int count = 2000;

    /** The library's training defaults of this family are this command's. */
    @Mixin
    AnswerLossFlags answer = new AnswerLossFlags(SegmentationModel.trainingOptions().build());

    @Mixin
    GraphFlags graph;

    @Mixin
    RunDirOption run = new RunDirOption("segment-run");

    @Override
    public Integer call() throws IOException {
        run.check(spec);
        SegmentationOptions shape = graph.options(spec);
        ConditionalOptions training = answer.options(spec, strings.seed());
        List<DigitString> train = strings.training(spec, count);
        int kept = answer.holdout().trainingCount("the " + count + " training strings", train.size(), "strings");
        List<DigitString> test = strings.heldOut(spec);
        long start = System.nanoTime();
        LearningCurve curve = new LearningCurve("epoch");
        try (Backend backend = openBackend();
             SegmentationModel m = SegmentationModel.fit(backend, train, shape, training, Checkpointing.none(),
                     EpochEvents.reporting(output(), answer.holdout().metrics("loss", "train_error")), curve)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("loss", answer.loss());
            r.put("train_strings", kept);
            r.put("holdout_strings", train.size() - kept);
            try (StagedFiles staged = StagedFiles.in(run.dir())) {
                run.stageModelAndCurve(staged, m, curve, "segmentation recognizer (" + answer.loss()
                        + " loss), " + train.size() + " strings");
                Path png = run.file("segmentation.png");
                SegmentResults.report(m, test, staged.stage(png), r);
                staged.commit();
                r.put("png", png.toString());
            }
            r.put("seconds", secondsSince(start));
            run.reportModelAndCurve(r);
            output().result("done", r);
        }
        return 0;
    }
}
