package org.ebm4j.hopfield;

import static org.ebm4j.train.SettingChecks.notNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.train.OptionsMap;

/**
 * What determines a Hopfield network stored from patterns ({@link HopfieldNetwork#fit}) besides the
 * patterns: the learning rule. Storing is closed-form and draws no random numbers, so there is no
 * seed. Build with {@link #builder()} (default: Storkey's rule, as {@code ebm hopfield store});
 * {@link #toMap()}/{@link #fromMap} give the form stored in a network's provenance.
 *
 * @param rule {@code rule}: {@code hebb}, {@code storkey} or {@code pseudo-inverse}
 */
public record HopfieldOptions(LearningRule rule) {

    public HopfieldOptions {
        notNull("rule", rule);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().rule(rule);
    }

    /** {@code rule} as {@link LearningRule#toString()} writes it. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rule", rule.toString());
        return m;
    }

    /** Reads {@link #toMap()} back; a missing, malformed or unknown key is an error naming it. */
    public static HopfieldOptions fromMap(Map<String, String> map) {
        OptionsMap m = OptionsMap.of(map, "Hopfield options");
        HopfieldOptions o = new HopfieldOptions(LearningRule.parse(m.string("rule")));
        m.finish();
        return o;
    }

    /** Mutable builder with the defaults of {@code ebm hopfield store}. */
    public static final class Builder {
        private LearningRule rule = LearningRule.STORKEY;

        private Builder() {
        }

        public Builder rule(LearningRule v) {
            rule = v;
            return this;
        }

        public HopfieldOptions build() {
            return new HopfieldOptions(rule);
        }
    }
}
