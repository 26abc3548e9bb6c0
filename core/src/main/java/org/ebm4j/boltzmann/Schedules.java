package org.ebm4j.boltzmann;

import java.util.function.IntToDoubleFunction;

/** The implementations behind {@link TemperatureSchedule}'s factories. */
final class Schedules {
    private Schedules() {
    }

    static double fraction(int k, int sweeps) {
        return sweeps == 1 ? 1.0 : (double) k / (sweeps - 1);
    }

    /**
     * A schedule of {@code sweeps} temperatures, the {@code k}-th being {@code f(k)}.
     *
     * @param description what {@link #toString()} says
     */
    record Formula(String description, int sweeps, IntToDoubleFunction f) implements TemperatureSchedule {
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
