package org.ebm4j.boltzmann;

import java.util.function.IntToDoubleFunction;

/** The implementations behind {@link TemperatureSchedule}'s factories. */
final class Schedules {
    private Schedules() {
    }

    static double fraction(int k, int sweeps) {
        return sweeps == 1 ? 1.0 : (double) k / (sweeps - 1);
    }

    static final class Formula implements TemperatureSchedule {
        private final String description;
        private final int sweeps;
        private final IntToDoubleFunction f;

        Formula(String description, int sweeps, IntToDoubleFunction f) {
            this.description = description;
            this.sweeps = sweeps;
            this.f = f;
        }

        @Override
        public int sweeps() {
            return sweeps;
        }

        @Override
        public double temperature(int k) {
            if (k < 0 || k >= sweeps) {
                throw new IndexOutOfBoundsException("sweep " + k + " is outside the schedule's 0.." + (sweeps - 1));
            }
            return f.applyAsDouble(k);
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
