package org.ebm4j.cli;

import java.io.IOException;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * MNIST training images split in two by position ({@code ebm conditional train}, {@code ebm chain train}
 * and {@code eval}): {@code --data} names them, the first {@code --limit} are used and the last
 * {@code --held-out} of those are kept apart for testing, so a run given the same flags again finds the
 * same test images. The descriptions are the chain commands'; a command whose held-out images serve
 * otherwise words them in the {@code limit} and {@code held-out} entries of its resource bundle.
 */
public final class HeldOutImages {
    @Mixin
    DataOption data = DataOption.mnist();

    @Option(names = "--limit", paramLabel = "N", descriptionKey = "limit",
            description = "Use the first N images (both pools together).")
    Integer limit;

    @Option(names = "--held-out", paramLabel = "N", descriptionKey = "held-out",
            description = "Images at the end that only test sequences use (default: ${DEFAULT-VALUE}).")
    int heldOut = 1000;

    /** {@code --limit}, or null for all the images. */
    public Integer limit() {
        return limit;
    }

    /** {@code --held-out}, unchecked: each command checks it where its other flags are checked. */
    public int heldOut() {
        return heldOut;
    }

    /**
     * Reads the images and returns {training, held-out}; a usage error when {@code --limit} is not positive
     * or the held-out images leave none to train on (the training part named {@code what} in the message).
     */
    public Dataset[] split(CommandSpec spec, String what) throws IOException {
        Dataset all = data.source().load(Mnist.Split.TRAIN, ',');
        int rows = limit == null ? all.rows() : Math.min(FlagChecks.positive(spec, "--limit", limit), all.rows());
        if (heldOut >= rows) {
            throw FlagChecks.error(spec, "--held-out " + heldOut + " leaves no training " + what + " of the " + rows
                    + " used");
        }
        return new Dataset[] {all.slice(0, rows - heldOut), all.slice(rows - heldOut, rows)};
    }
}
