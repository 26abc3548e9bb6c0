package org.ebm4j.cli.segment;

import org.ebm4j.cli.FlagChecks;
import org.ebm4j.segmentation.SegmentationOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The segmentation graph of {@code ebm segment train}: {@code --window HxW}, {@code --stride}, {@code --max-span}. */
public final class GraphFlags {
    @Option(names = "--window", paramLabel = "HxW", defaultValue = "14x12",
            description = "The window each segment is resampled to (default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--stride", paramLabel = "N", defaultValue = "4", description = "Columns between candidate cuts (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--max-span", paramLabel = "N", defaultValue = "10", description = "The widest segment, in strides (default: ${DEFAULT-VALUE}).")
    int maxSpan;

    /** The options these flags say; a malformed window or a value out of range is a one-line error. */
    public SegmentationOptions options(CommandSpec spec) {
        String[] hw = window.split("x", -1);
        try {
            if (hw.length != 2) {
                throw new NumberFormatException();
            }
            int height = Integer.parseInt(hw[0].trim());
            int width = Integer.parseInt(hw[1].trim());
            return SegmentationOptions.builder().window(height, width).stride(stride).maxSpan(maxSpan).build();
        } catch (NumberFormatException e) {
            throw FlagChecks.error(spec, "--window must be HEIGHTxWIDTH, e.g. 14x12, found '" + window + "'");
        } catch (IllegalArgumentException e) {
            throw FlagChecks.settingError(spec, e);
        }
    }
}
