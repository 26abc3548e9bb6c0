package org.ebm4j.hmc;

/**
 * Nesterov dual averaging of {@code log(stepSize)} toward a target acceptance statistic (Hoffman
 * and Gelman 2014, section 3.2, with Stan's defaults). After each adaptation iteration,
 * {@link #update(double)} returns the step size to use next; when warm-up ends,
 * {@link #finalStepSize()} is the averaged iterate, which is what sampling uses.
 */
public final class DualAveraging {
    /** Stan's defaults. */
    public static final double DEFAULT_TARGET = 0.8;
    public static final double DEFAULT_GAMMA = 0.05;
    public static final double DEFAULT_KAPPA = 0.75;
    public static final double DEFAULT_T0 = 10;

    private final double target;
    private final double gamma;
    private final double kappa;
    private final double t0;
    private double mu;
    private double counter;
    private double errorAverage;
    private double logStepAverage;

    public DualAveraging(double target, double gamma, double kappa, double t0) {
        if (!(target > 0 && target < 1)) {
            throw new IllegalArgumentException("target acceptance must lie in (0, 1), found " + target);
        }
        if (!(gamma > 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("dual-averaging gamma must be finite and > 0, found " + gamma);
        }
        if (!(kappa > 0.5 && kappa <= 1)) {
            throw new IllegalArgumentException("dual-averaging kappa must lie in (0.5, 1], found " + kappa);
        }
        if (!(t0 >= 0) || !Double.isFinite(t0)) {
            throw new IllegalArgumentException("dual-averaging t0 must be finite and >= 0, found " + t0);
        }
        this.target = target;
        this.gamma = gamma;
        this.kappa = kappa;
        this.t0 = t0;
        restart(1.0);
    }

    /** Stan's defaults: target 0.8, gamma 0.05, kappa 0.75, t0 10. */
    public static DualAveraging withDefaults() {
        return new DualAveraging(DEFAULT_TARGET, DEFAULT_GAMMA, DEFAULT_KAPPA, DEFAULT_T0);
    }

    /**
     * Starts over from {@code stepSize}: the shrinkage point becomes {@code log(10 * stepSize)} (steps
     * larger than the start are favoured because they are cheaper per unit of trajectory).
     */
    public void restart(double stepSize) {
        if (!(stepSize > 0) || !Double.isFinite(stepSize)) {
            throw new IllegalArgumentException("step size must be finite and > 0, found " + stepSize);
        }
        mu = Math.log(10 * stepSize);
        counter = 0;
        errorAverage = 0;
        logStepAverage = 0;
    }

    /**
     * One adaptation iteration with observed acceptance statistic {@code acceptStat} (the mean over
     * chains of {@code min(1, exp(-energyError))}; NaN counts as 0, values above 1 as 1).
     *
     * @return the step size for the next iteration
     */
    public double update(double acceptStat) {
        double a = Double.isNaN(acceptStat) ? 0 : Math.min(1, Math.max(0, acceptStat));
        counter++;
        double eta = 1.0 / (counter + t0);
        errorAverage = (1 - eta) * errorAverage + eta * (target - a);
        double logStep = mu - errorAverage * Math.sqrt(counter) / gamma;
        double weight = Math.pow(counter, -kappa);
        logStepAverage = (1 - weight) * logStepAverage + weight * logStep;
        return Math.exp(logStep);
    }

    /** The averaged step size {@code exp(x_bar)}: the value to sample with once adaptation stops. */
    public double finalStepSize() {
        if (counter == 0) {
            return Math.exp(mu) / 10;
        }
        return Math.exp(logStepAverage);
    }

    public double target() {
        return target;
    }
}
