package org.ebm4j.cli.chain;

import java.io.IOException;
import java.util.Map;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.HeldOutImages;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.data.Dataset;
import org.ebm4j.structured.ChainModel;
import org.ebm4j.structured.GrammarSequences;
import org.ebm4j.structured.Sequences;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where the sequences of {@code ebm chain} come from: {@code --data} names the digit images (MNIST training
 * images, the embedded 10,000 by default), of which the first {@code --limit} are used; training sequences
 * take images from all but the last {@code --held-out} of them (under {@code --seed}), test sequences from
 * those last ones (under the seed + 1), so {@code chain eval} with the flags of a {@code chain train} run
 * redraws that run's test sequences and no test image was seen in training.
 */
public final class GrammarFlags {
    /** Ten digits, ten labels. */
    static final int DIGITS = 10;

    @Mixin
    HeldOutImages images;

    @Option(names = "--test-sequences", paramLabel = "N", description = "Held-out sequences (default: ${DEFAULT-VALUE}).")
    int testSequences = 200;

    @Option(names = "--length", paramLabel = "N", description = "Digits per sequence (default: ${DEFAULT-VALUE}).")
    int length = 8;

    @Option(names = "--follow", paramLabel = "X", description = "Probability that the next digit is the previous + 1 (default: ${DEFAULT-VALUE}).")
    double follow = 0.8;

    @Mixin
    SeedOption seed;

    /** The seed of the training sequences (and of the command's other random streams). */
    public long seed() {
        return seed.value();
    }

    private Dataset[] pools;

    // {training, held-out} images, the flags checked before any image is read.
    private Dataset[] pools(CommandSpec spec) throws IOException {
        if (pools == null) {
            FlagChecks.positive(spec, "--test-sequences", testSequences);
            FlagChecks.positive(spec, "--length", length);
            FlagChecks.positive(spec, "--held-out", images.heldOut());
            if (!(follow >= 0 && follow <= 1)) {
                throw FlagChecks.error(spec, "--follow must lie in [0, 1] but was " + follow);
            }
            pools = images.split(spec, "images");
        }
        return pools;
    }

    /** {@code count} training sequences from all but the last {@code --held-out} images. */
    public Sequences training(CommandSpec spec, int count) throws IOException {
        FlagChecks.positive(spec, "--sequences", count);
        return GrammarSequences.draw(pools(spec)[0], DIGITS, count, length, follow, seed.value());
    }

    /** The {@code --test-sequences} held-out sequences from the last {@code --held-out} images. */
    public Sequences test(CommandSpec spec) throws IOException {
        return GrammarSequences.draw(pools(spec)[1], DIGITS, testSequences, length, follow, seed.value() + 1);
    }

    /**
     * Puts into {@code r} the sequences' shape and the per-digit and whole-sequence accuracy of {@code m}'s
     * independent and Viterbi decodings of {@code test} ({@link ChainModel#evaluate}).
     */
    void report(ChainModel m, Sequences test, Map<String, Object> r) {
        ChainModel.Evaluation e = m.evaluate(test);
        r.put("test_sequences", test.count());
        r.put("length", length);
        r.put("follow", follow);
        r.put("independent_digit_accuracy", e.independent().perPosition());
        r.put("independent_sequence_accuracy", e.independent().wholeSequence());
        r.put("viterbi_digit_accuracy", e.viterbi().perPosition());
        r.put("viterbi_sequence_accuracy", e.viterbi().wholeSequence());
    }
}
