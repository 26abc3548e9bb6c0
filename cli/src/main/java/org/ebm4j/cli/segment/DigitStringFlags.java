package org.ebm4j.cli.segment;

import java.io.IOException;
import java.util.List;
import org.ebm4j.cli.DataOption;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.SeedOption;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import org.ebm4j.segmentation.DigitString;
import org.ebm4j.segmentation.DigitStrings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where the strings of {@code ebm segment} come from: {@code --data} names the digits (MNIST training
 * images, the embedded 10,000 by default), the first four fifths of them compose the training strings
 * (under {@code --seed}) and the last fifth the {@code --held-out} strings (under the seed + 1), so no digit
 * image of a held-out string was seen in training. The strings follow {@link DigitStrings.Recipe#standard()}.
 */
public final class DigitStringFlags {
    @Mixin
    DataOption data = DataOption.mnist();

    @Mixin
    SeedOption seed;

    @Option(names = "--held-out", paramLabel = "N", description = "Held-out strings, composed from the last fifth of the digits (default: ${DEFAULT-VALUE}).")
    int heldOut = 500;

    private Dataset digits;

    private Dataset digits(CommandSpec spec) throws IOException {
        if (digits == null) {
            digits = data.source().load(Mnist.Split.TRAIN, ',');
            if (digits.rows() < 10 || !digits.isImages() || digits.labels() == null) {
                throw FlagChecks.error(spec, "--data must hold >= 10 labelled digit images, found " + digits.rows()
                        + " rows" + (digits.labels() == null ? " without labels" : ""));
            }
        }
        return digits;
    }

    /** The seed of the strings (and of the command's other random streams). */
    public long seed() {
        return seed.value();
    }

    /** {@code count} training strings from the first four fifths of the digits. */
    public List<DigitString> training(CommandSpec spec, int count) throws IOException {
        Dataset d = digits(spec);
        return DigitStrings.generate(d.slice(0, d.rows() * 4 / 5), FlagChecks.positive(spec, "--strings", count),
                DigitStrings.Recipe.standard(), seed.value());
    }

    /** The {@code --held-out} strings from the last fifth of the digits. */
    public List<DigitString> heldOut(CommandSpec spec) throws IOException {
        FlagChecks.positive(spec, "--held-out", heldOut);
        Dataset d = digits(spec);
        return DigitStrings.generate(d.slice(d.rows() * 4 / 5, d.rows()), heldOut, DigitStrings.Recipe.standard(),
                seed.value() + 1);
    }
}
