package org.ebm4j.segmentation;

import java.util.Map;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.Range;
import org.ebm4j.train.SettingException;

/**
 * The segmentation graph of a {@link SegmentationModel}: where the candidate cuts are, which segments
 * the graph holds, how a segment is shown to the segment network and which answers are allowed. The
 * network and its training are set by a {@link org.ebm4j.conditional.ConditionalOptions} (its loss
 * {@code perceptron}, {@code lvq2} or {@code nll}).
 *
 * @param windowHeight rows of the fixed-size window every segment is resampled to
 * @param windowWidth  columns of that window
 * @param stride       columns between candidate cuts (a cut every {@code stride} columns and at the end)
 * @param maxSpan      the widest segment, in strides
 * @param minDigits    the fewest digits an answer may have
 * @param maxDigits    the most digits an answer may have
 */
public record SegmentationOptions(int windowHeight, int windowWidth, int stride, int maxSpan, int minDigits,
                                  int maxDigits) implements OptionsRecord<SegmentationOptions, SegmentationOptions.Builder> {

    public SegmentationOptions {
        FIELDS.check(windowHeight, windowWidth, stride, maxSpan, minDigits, maxDigits);
        if (maxDigits < minDigits) {
            throw new SettingException("max_digits", "must be >= min_digits (" + minDigits + "), found "
                    + maxDigits);
        }
    }

    private static final OptionTable<SegmentationOptions, Builder> FIELDS = OptionTable
            .<SegmentationOptions, Builder>of(SegmentationOptions.class, "segmentation options")
            .add("window_height", 14, Range.atLeast(1))
            .add("window_width", 12, Range.atLeast(1))
            .add("stride", 4, Range.atLeast(1))
            .add("max_span", 10, Range.atLeast(1))
            .add("min_digits", 2, Range.atLeast(1))
            .add("max_digits", 4)
            .build(Builder::new);

    /** Reads {@link #toMap()} back; a missing, malformed or unknown key is an error naming it. */
    public static SegmentationOptions fromMap(Map<String, String> map) {
        return FIELDS.fromMap(map);
    }

    /** Inputs of the segment network: {@code windowHeight windowWidth}. */
    public int windowSize() {
        return windowHeight * windowWidth;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults: 14 x 12 windows, a cut every 4 columns, segments up to 10 strides (40 columns), answers of
     * 2 to 4 digits: sized for strings of MNIST digits.
     */
    public static final class Builder extends OptionsBuilder<SegmentationOptions, Builder> {
        private Builder() {
            super(FIELDS);
        }

        /** The window every segment is resampled to. */
        public Builder window(int height, int width) {
            return set("window_height", height).set("window_width", width);
        }

        /** Columns between candidate cuts. */
        public Builder stride(int columns) {
            return set("stride", columns);
        }

        /** The widest segment, in strides. */
        public Builder maxSpan(int strides) {
            return set("max_span", strides);
        }

        /** The lengths an answer may have. */
        public Builder digits(int min, int max) {
            return set("min_digits", min).set("max_digits", max);
        }
    }
}
