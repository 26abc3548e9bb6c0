package org.ebm4j.rbm;

/**
 * Options whose learning rate follows a {@link LearningRateSchedule} over their epochs (the RBM's, and
 * the DBM's joint training): the rate of an epoch is computed from the three, once, here.
 */
public interface ScheduledLearningRate {
    /** The base learning rate, the schedule's start. */
    double learningRate();

    /** The epochs the schedule spans. */
    int epochs();

    /** How the rate changes over the epochs. */
    LearningRateSchedule schedule();

    /** The rate used during {@code epoch} (0-based). */
    default double learningRate(int epoch) {
        return schedule().rate(learningRate(), epoch, epochs());
    }
}
