package org.ebm4j.cli.segment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.cli.FlagChecks;
import org.ebm4j.cli.ModelFileCommand;
import org.ebm4j.segmentation.DigitString;
import org.ebm4j.segmentation.SegmentationModel;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ebm segment eval}: a saved recognizer's accuracies on held-out strings, found and given the true
 * segmentation (the cost of the latent variable).
 */
@Command(name = "eval", sortOptions = false,
        description = {"Whole-string and per-digit accuracy of a segmentation recognizer on held-out strings."},
        footer = "Example: ebm segment eval --model segment-run/model.ebm --held-out 500 --png readings.png")
public final class SegmentEvalCommand extends ModelFileCommand {
    @Mixin
    DigitStringFlags strings;

    @Option(names = "--png", paramLabel = "FILE", description = "Write a PNG of the first held-out strings with the cuts read.")
    Path png;

    @Override
    public Integer call() throws IOException {
        FlagChecks.outputFile(spec, "--png", png);
        long start = System.nanoTime();
        // The strings (and their flags) before the model: a bad flag is found before any work.
        List<DigitString> heldOut = strings.heldOut(spec);
        try (Backend backend = openBackend(); SegmentationModel m = SegmentationModel.load(model.path(), backend)) {
            Map<String, Object> r = new LinkedHashMap<>();
            SegmentResults.report(m, heldOut, png, r);
            r.put("seconds", secondsSince(start));
            output().result("done", r);
        }
        return 0;
    }
}
