package org.ebm4j.hopfield;

import java.util.Map;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.OptionsRecord;

/**
 * What determines a Hopfield network stored from patterns ({@link HopfieldNetwork#fit}) besides the
 * patterns: the learning rule. Storing is closed-form and draws no random numbers, so there is no
 * seed. Build with {@link #builder()} (default: Storkey's rule, as {@code ebm hopfield store});
 * {@link #toMap()}/{@link #fromMap} give the form stored in a network's provenance.
 *
 * @param rule {@code rule}: {@code hebb}, {@code storkey} or {@code pseudo-inverse}
 */
public record HopfieldOptions(LearningRule rule)
        implements OptionsRecord<HopfieldOptions, HopfieldOptions.Builder> {

    public HopfieldOptions {
        FIELDS.check(rule);
    }

    private static final OptionCodec<LearningRule> RULE = OptionCodec.of(LearningRule::toString, LearningRule::parse);

    private static final OptionTable<HopfieldOptions, Builder> FIELDS = OptionTable
            .<HopfieldOptions, Builder>of(HopfieldOptions.class, "Hopfield options")
            .add("rule", RULE, LearningRule.STORKEY)
            .build(Builder::new);

    /** Reads {@link #toMap()} back; a missing, malformed or unknown key is an error naming it. */
    public static HopfieldOptions fromMap(Map<String, String> map) {
        return FIELDS.fromMap(map);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder with the defaults of {@code ebm hopfield store}. */
    public static final class Builder extends OptionsBuilder<HopfieldOptions, Builder> {
        private Builder() {
            super(FIELDS);
        }

        public Builder rule(LearningRule v) {
            return set("rule", v);
        }
    }
}
