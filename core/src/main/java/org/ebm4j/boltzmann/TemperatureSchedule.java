package org.ebm4j.boltzmann;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * The temperature of each sweep of a stochastic single-site sampler: constant (plain Gibbs
 * sampling), or decreasing (simulated annealing). Sweep {@code k} runs at
 * {@link #temperature(int) temperature(k)} for {@code 0 <= k < sweeps()}; every temperature is
 * finite and {@code > 0}.
 */
public interface TemperatureSchedule {

    /** How many sweeps the schedule lasts; at least 1. */
    int sweeps();

    /** The temperature of sweep {@code k} ({@code 0 <= k < sweeps()}), finite and {@code > 0}. */
    double temperature(int k);

    /** {@code sweeps} sweeps at temperature {@code t}. */
    static TemperatureSchedule constant(double t, int sweeps) {
        checkTemperature("temperature", t);
        checkSweeps(sweeps);
        return new Schedules.Formula("constant(" + t + ", " + sweeps + ")", sweeps, k -> t);
    }

    /**
     * Linear annealing from {@code from} (first sweep) to {@code to} (last sweep):
     * {@code T_k = from + (to - from) * k / (sweeps - 1)}; a single sweep runs at {@code to}.
     */
    static TemperatureSchedule linear(double from, double to, int sweeps) {
        checkTemperature("start temperature", from);
        checkTemperature("end temperature", to);
        checkSweeps(sweeps);
        return new Schedules.Formula("linear(" + from + " -> " + to + ", " + sweeps + ")", sweeps,
                k -> from + (to - from) * Schedules.fraction(k, sweeps));
    }

    /**
     * Geometric annealing from {@code from} to {@code to}: {@code T_k = from * (to/from)^(k/(sweeps-1))},
     * a constant ratio between consecutive sweeps; a single sweep runs at {@code to}.
     */
    static TemperatureSchedule geometric(double from, double to, int sweeps) {
        checkTemperature("start temperature", from);
        checkTemperature("end temperature", to);
        checkSweeps(sweeps);
        double logRatio = Math.log(to / from);
        return new Schedules.Formula("geometric(" + from + " -> " + to + ", " + sweeps + ")", sweeps,
                k -> k == sweeps - 1 ? to : from * Math.exp(logRatio * Schedules.fraction(k, sweeps)));
    }

    /** A custom schedule: one sweep per listed temperature. */
    static TemperatureSchedule of(double... temperatures) {
        if (temperatures == null || temperatures.length == 0) {
            throw new IllegalArgumentException("a temperature schedule needs at least one temperature, found none");
        }
        double[] t = temperatures.clone();
        for (int k = 0; k < t.length; k++) {
            checkTemperature("temperature " + k, t[k]);
        }
        return new Schedules.Formula("custom" + Arrays.toString(t), t.length, k -> t[k]);
    }

    /**
     * A custom schedule given by a function of the sweep index; each value is checked when it is
     * asked for (a non-positive or non-finite temperature throws then).
     */
    static TemperatureSchedule of(int sweeps, IntToDoubleFunction temperatureOfSweep) {
        checkSweeps(sweeps);
        if (temperatureOfSweep == null) {
            throw new IllegalArgumentException("the temperature function is null");
        }
        return new Schedules.Formula("custom(" + sweeps + " sweeps)", sweeps, k -> {
            double t = temperatureOfSweep.applyAsDouble(k);
            checkTemperature("temperature of sweep " + k, t);
            return t;
        });
    }

    private static void checkTemperature(String what, double t) {
        if (!(t > 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException(what + " must be finite and > 0 but is " + t);
        }
    }

    private static void checkSweeps(int sweeps) {
        if (sweeps < 1) {
            throw new IllegalArgumentException("a temperature schedule needs at least 1 sweep but was given " + sweeps);
        }
    }
}
