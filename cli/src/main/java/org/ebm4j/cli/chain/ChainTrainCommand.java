package org.ebm4j.cli.chain;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.cli.CliCommand;
import org.ebm4j.cli.EpochEvents;
import org.ebm4j.cli.LearningCurve;
import org.ebm4j.cli.ResumeCheckpoint;
import org.ebm4j.cli.ResumeOption;
import org.ebm4j.cli.RunDirOption;
import org.ebm4j.cli.conditional.AnswerLossFlags;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.io.StagedFiles;
import org.ebm4j.structured.ChainLoss;
import org.ebm4j.structured.ChainModel;
import org.ebm4j.structured.Sequences;
import org.ebm4j.tensor.Backend;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm chain train}: digit sequences drawn from a first-order grammar over MNIST images
 * ({@link GrammarFlags}), a chain factor graph fitted to them ({@link ChainModel#fit}), and the held-out
 * per-digit and whole-sequence accuracy of independent decoding and of Viterbi; writes {@code model.ebm},
 * {@code learning-curve.png} and {@code checkpoint.ebm} (every epoch; {@code --resume} continues it) into
 * {@code --out}.
 */
@Command(name = "train", sortOptions = false, resourceBundle = "org.ebm4j.cli.chain.ChainTrainCommand",
        description = {"Train a chain factor graph on MNIST digit sequences from a first-order grammar: the next digit"
                + " is the previous + 1 (mod 10) with probability --follow, else uniform.",
                "Training sequences take images from the first images, test sequences from the last --held-out ones."},
        footer = "Example: ebm chain train --loss perceptron --limit 6000 --held-out 1000 --sequences 500 --out chain-run")
public final class ChainTrainCommand extends CliCommand {
    @Mixin
    GrammarFlags grammar;

    @Option(names = "--sequences", paramLabel = "N", description = "Training sequences (default: ${DEFAULT-VALUE}).")
    int sequences = 500;

    /** The library's training defaults of this family are this command's. */
    @Mixin
    AnswerLossFlags answer = new AnswerLossFlags(ChainModel.trainingOptions().build());

    @Mixin
    RunDirOption run = new RunDirOption("chain-run");

    /** The sequence flags of a resumed run must draw the sequences of the checkpoint's run (checked). */
    @Mixin
    ResumeOption resume;

    @Override
    public Integer call() throws IOException {
        run.check(spec);
        // A loss the chain has no form of is refused before the others are read.
        ConditionalOptions options = answer.options(spec, grammar.seed(), b -> {
            ChainLoss.byName(answer.loss());
            return b;
        });
        Path from = resume.checkpoint(spec, run.dir(), p -> ChainModel.readOptions(p).toMap(), options.toMap());
        Sequences train = grammar.training(spec, sequences);
        Sequences test = grammar.test(spec);
        int kept = answer.holdout().trainingCount("the " + sequences + " training sequences", train.count(),
                "sequences");
        long start = System.nanoTime();
        LearningCurve curve = new LearningCurve("epoch");
        try (Backend backend = openBackend();
             StagedFiles staged = ResumeCheckpoint.staging(run.dir(), resume.given())) {
            Checkpointing checkpointing = Checkpointing.every(staged.stageKept(ResumeCheckpoint.in(run.dir())), 1);
            TrainingListener events = EpochEvents.reporting(output(), answer.holdout().metrics("loss"));
            try (ChainModel m = from != null ? ChainModel.resume(from, train, backend, checkpointing, events, curve)
                    : ChainModel.fit(backend, train, GrammarFlags.DIGITS, options, checkpointing, events, curve)) {
                finish(m, kept, test, curve, staged, start);
            }
        }
        return 0;
    }

    // Writes the model and the learning curve with the checkpoint, and reports both decoders' accuracies.
    private void finish(ChainModel m, int trained, Sequences test, LearningCurve curve, StagedFiles staged,
                        long start) throws IOException {
        // A resumed run trains with the checkpoint's loss, whatever --loss says.
        String loss = m.provenance().options().get("loss");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("loss", loss);
        r.put("train_sequences", trained);
        r.put("holdout_sequences", sequences - trained);
        grammar.report(m, test, r);
        run.stageModelAndCurve(staged, m, curve, "chain factor graph (" + loss + " loss) on " + trained
                + " digit sequences");
        staged.commit();
        r.put("seconds", secondsSince(start));
        run.reportModelAndCurve(r);
        r.put("checkpoint", ResumeCheckpoint.in(run.dir()).toString());
        r.put("resume", resume.given());
        output().result("done", r);
    }
}
