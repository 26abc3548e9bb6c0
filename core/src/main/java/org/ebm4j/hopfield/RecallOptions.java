package org.ebm4j.hopfield;

import java.util.Map;
import org.ebm4j.boltzmann.TemperatureSchedule;
import org.ebm4j.random.StreamId;
import org.ebm4j.train.EnumIds;
import org.ebm4j.train.OptionCodec;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.OptionsBuilder;
import org.ebm4j.train.OptionsRecord;
import org.ebm4j.train.Range;

/**
 * How {@link HopfieldNetwork#recall} runs: the dynamics, their limits, the annealing schedule and
 * the seed of the random unit orders and stochastic units ({@link StreamId#HOPFIELD_RECALL}). Build
 * with {@link #builder()} (the defaults of {@code ebm hopfield recall}).
 *
 * @param dynamics     {@code dynamics}: {@code async}, {@code sync} or {@code anneal}
 * @param maxSweeps    {@code max_sweeps}: sweep (or synchronous step) limit of the deterministic recall, {@code >= 1};
 *                     after annealing, the limit of the asynchronous descent
 * @param annealing    {@code annealing}: the schedule's shape from {@code tStart} to {@code tEnd}
 * @param tStart       {@code t_start}: annealing start temperature ({@code > 0})
 * @param tEnd         {@code t_end}: annealing end temperature ({@code > 0})
 * @param annealSweeps {@code anneal_sweeps}: stochastic sweeps of the schedule ({@code >= 1})
 * @param seed         {@code seed}: seed of the recall's random stream
 */
public record RecallOptions(Dynamics dynamics, int maxSweeps, Annealing annealing, double tStart, double tEnd,
                            int annealSweeps, long seed)
        implements OptionsRecord<RecallOptions, RecallOptions.Builder> {

    /** The recall dynamics. */
    public enum Dynamics {
        /** {@link AsynchronousRecall}: units one at a time in a random order per sweep, until a sweep changes nothing. */
        ASYNC,
        /** {@link SynchronousRecall}: all units at once, 2-cycles detected. */
        SYNC,
        /** {@link StochasticRecall}: simulated annealing of stochastic units, then an asynchronous descent. */
        ANNEAL;

        /** Parses {@code async}, {@code sync} or {@code anneal} (any case). */
        public static Dynamics parse(String s) {
            return EnumIds.parse(Dynamics.class, "recall dynamics", s);
        }

        @Override
        public String toString() {
            return EnumIds.id(this);
        }
    }

    /** The shape of the annealing schedule. */
    public enum Annealing {
        /** {@link TemperatureSchedule#linear}. */
        LINEAR,
        /** {@link TemperatureSchedule#geometric}. */
        GEOMETRIC;

        /** Parses {@code linear} or {@code geometric} (any case). */
        public static Annealing parse(String s) {
            return EnumIds.parse(Annealing.class, "annealing schedule", s);
        }

        @Override
        public String toString() {
            return EnumIds.id(this);
        }
    }

    public RecallOptions {
        FIELDS.check(dynamics, maxSweeps, annealing, tStart, tEnd, annealSweeps, seed);
    }

    private static final OptionCodec<Dynamics> DYNAMICS = OptionCodec.of(Dynamics::toString, Dynamics::parse);
    private static final OptionCodec<Annealing> ANNEALING = OptionCodec.of(Annealing::toString, Annealing::parse);

    private static final OptionTable<RecallOptions, Builder> FIELDS = OptionTable
            .<RecallOptions, Builder>of(RecallOptions.class, "recall options")
            .add("dynamics", DYNAMICS, Dynamics.ASYNC)
            .add("max_sweeps", 100, Range.atLeast(1))
            .add("annealing", ANNEALING, Annealing.GEOMETRIC)
            .add("t_start", 2.0, Range.positiveFinite())
            .add("t_end", 0.05, Range.positiveFinite())
            .add("anneal_sweeps", 100, Range.atLeast(1))
            .add("seed", 1L)
            .build(Builder::new);

    /** Reads {@link #toMap()} back; a missing, malformed or unknown key is an error naming it. */
    public static RecallOptions fromMap(Map<String, String> map) {
        return FIELDS.fromMap(map);
    }

    /** The temperatures of the annealing sweeps. */
    public TemperatureSchedule temperatureSchedule() {
        return annealing == Annealing.LINEAR ? TemperatureSchedule.linear(tStart, tEnd, annealSweeps)
                : TemperatureSchedule.geometric(tStart, tEnd, annealSweeps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder with the defaults of {@code ebm hopfield recall}. */
    public static final class Builder extends OptionsBuilder<RecallOptions, Builder> {
        private Builder() {
            super(FIELDS);
        }

        public Builder dynamics(Dynamics v) {
            return set("dynamics", v);
        }

        public Builder maxSweeps(int v) {
            return set("max_sweeps", v);
        }

        public Builder annealing(Annealing v) {
            return set("annealing", v);
        }

        public Builder tStart(double v) {
            return set("t_start", v);
        }

        public Builder tEnd(double v) {
            return set("t_end", v);
        }

        public Builder annealSweeps(int v) {
            return set("anneal_sweeps", v);
        }

        public Builder seed(long v) {
            return set("seed", v);
        }
    }
}
