package org.ebm4j.cli.segment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ebm4j.io.ImageGrid;
import org.ebm4j.segmentation.DigitString;
import org.ebm4j.segmentation.DigitStrings;
import org.ebm4j.segmentation.SegmentationGraph;
import org.ebm4j.segmentation.SegmentationModel;

/** What {@code segment train} and {@code segment eval} report of a recognizer on held-out strings. */
final class SegmentResults {
    /** Strings drawn in the picture. */
    static final int PICTURED = 8;

    private SegmentResults() {
    }

    /** The accuracies into {@code event}, and a picture of the first strings with their readings' cuts into {@code png}. */
    static void report(SegmentationModel m, List<DigitString> strings, Path png, Map<String, Object> event)
            throws IOException {
        SegmentationModel.Accuracy a = m.accuracy(strings);
        event.put("strings", a.strings());
        event.put("string_accuracy", a.wholeString());
        event.put("digit_accuracy", a.perDigit());
        event.put("string_accuracy_given_segmentation", a.wholeStringGivenSegmentation());
        event.put("digit_accuracy_given_segmentation", a.perDigitGivenSegmentation());
        if (png != null) {
            List<DigitString> shown = strings.subList(0, Math.min(PICTURED, strings.size()));
            List<int[]> cuts = m.read(shown).stream().map(SegmentationGraph.Reading::cuts).toList();
            ImageGrid.writePng(DigitStrings.picture(shown, cuts, 3), png);
            event.put("png", png.toString());
        }
    }
}
