package org.ebm4j.train;

/**
 * What every options record of minibatch gradient training with momentum SGD and a number of passes
 * over the data holds, read back: the values that {@link GradientOptionsBuilder}'s setters and each
 * builder's {@code epochs} set. Code that serves several such models (a command-line front end,
 * a tuning loop) reads them through this one type.
 */
public interface GradientSettings {
    /** The (base) learning rate. */
    double learningRate();

    /** The momentum of SGD, in [0, 1). */
    double momentum();

    /** The L2 weight decay. */
    double weightDecay();

    /** The rows of one minibatch. */
    int batchSize();

    /** The passes over the training data. */
    int epochs();
}
