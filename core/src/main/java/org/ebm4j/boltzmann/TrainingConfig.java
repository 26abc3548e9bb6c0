package org.ebm4j.boltzmann;

/**
 * Settings of {@link BoltzmannTrainer}.
 *
 * @param learningRate step size of the gradient ascent on the log-likelihood, {@code > 0}
 * @param momentum     fraction of the previous step kept, {@code [0, 1)}
 * @param weightDecay  L2 penalty on the weights (not the biases), {@code >= 0}
 * @param batchSize    data vectors per update ({@code >= 1}); the data chains are one per vector
 * @param dataSweeps   Gibbs sweeps over the hidden units with the visibles clamped to the data, before
 *                     the data statistics are taken ({@code >= 1}; irrelevant without hidden units)
 * @param modelSweeps  Gibbs sweeps of the free-running chains per update ({@code >= 1})
 * @param modelChains  free-running chains ({@code >= 1}); with {@code persistent == false} the
 *                     model chains restart from the data chains each update and this is ignored
 * @param persistent   true: the model chains persist across updates (PCD / stochastic maximum
 *                     likelihood); false: they start from the data chains (contrastive divergence)
 */
public record TrainingConfig(double learningRate, double momentum, double weightDecay, int batchSize,
                             int dataSweeps, int modelSweeps, int modelChains, boolean persistent) {

    public TrainingConfig {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0 but is " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must lie in [0, 1) but is " + momentum);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0 but is " + weightDecay);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1 but is " + batchSize);
        }
        if (dataSweeps < 1) {
            throw new IllegalArgumentException("data sweeps must be >= 1 but is " + dataSweeps);
        }
        if (modelSweeps < 1) {
            throw new IllegalArgumentException("model sweeps must be >= 1 but is " + modelSweeps);
        }
        if (modelChains < 1) {
            throw new IllegalArgumentException("model chains must be >= 1 but is " + modelChains);
        }
    }

    /** Defaults that learn 4x4 bars-and-stripes (see the README for the measured results). */
    public static TrainingConfig defaults() {
        return new TrainingConfig(0.05, 0.5, 0.0, 30, 5, 5, 100, true);
    }

    public TrainingConfig withLearningRate(double v) {
        return new TrainingConfig(v, momentum, weightDecay, batchSize, dataSweeps, modelSweeps, modelChains, persistent);
    }

    public TrainingConfig withMomentum(double v) {
        return new TrainingConfig(learningRate, v, weightDecay, batchSize, dataSweeps, modelSweeps, modelChains, persistent);
    }

    public TrainingConfig withWeightDecay(double v) {
        return new TrainingConfig(learningRate, momentum, v, batchSize, dataSweeps, modelSweeps, modelChains, persistent);
    }

    public TrainingConfig withBatchSize(int v) {
        return new TrainingConfig(learningRate, momentum, weightDecay, v, dataSweeps, modelSweeps, modelChains, persistent);
    }

    public TrainingConfig withDataSweeps(int v) {
        return new TrainingConfig(learningRate, momentum, weightDecay, batchSize, v, modelSweeps, modelChains, persistent);
    }

    public TrainingConfig withModelSweeps(int v) {
        return new TrainingConfig(learningRate, momentum, weightDecay, batchSize, dataSweeps, v, modelChains, persistent);
    }

    public TrainingConfig withModelChains(int v) {
        return new TrainingConfig(learningRate, momentum, weightDecay, batchSize, dataSweeps, modelSweeps, v, persistent);
    }

    public TrainingConfig withPersistent(boolean v) {
        return new TrainingConfig(learningRate, momentum, weightDecay, batchSize, dataSweeps, modelSweeps, modelChains, v);
    }
}
