package org.ebm4j.hopfield;

/**
 * What {@link HopfieldNetwork#recall} returns: the recalled states, how each chain ended, and the
 * energy of each recalled state.
 *
 * @param states   {@code cues x units} states of -1 and +1, row-major
 * @param units    units per state
 * @param result   the iterations run and each chain's {@link RecallStatus}
 * @param energies {@code E(s)} of each recalled state, in cue order
 */
public record RecalledStates(float[] states, int units, RecallResult result, float[] energies) {

    public RecalledStates {
        if (units < 1 || states.length % units != 0 || states.length / units != result.chains()
                || energies.length != result.chains()) {
            throw new IllegalArgumentException("recalled states of " + units + " units, " + result.chains() + " chains and "
                    + energies.length + " energies do not fit " + states.length + " values");
        }
    }

    /** How many cues were recalled. */
    public int count() {
        return result.chains();
    }
}
