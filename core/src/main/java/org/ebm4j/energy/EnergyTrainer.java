package org.ebm4j.energy;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.hmc.HmcChains;
import org.ebm4j.hmc.TrajectoryStats;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Learns a {@link TrainableEnergy} by pushing the energy of data down and the energy of negatives
 * up: each update draws a minibatch, samples negatives by HMC on the current model (from the data for
 * CD, from persistent chains otherwise), evaluates the {@link org.ebm4j.energy.loss.ContrastiveLoss}
 * on both energies, backpropagates its energy derivatives into {@code dL/dtheta} and takes a
 * momentum step with L2 weight decay:
 * <pre>
 *   g = dL/dtheta + weightDecay * theta         (decay on weights only)
 *   v = momentum * v - learningRate * g;   theta += v
 * </pre>
 * With the sampled maximum-likelihood loss this is Hinton's rule
 * {@code theta += lr (-dE(data)/dtheta + dE(negative)/dtheta)}. The step size of the negatives'
 * trajectories is nudged after each update toward the target acceptance rate.
 *
 * <p>The data set lives on the backend ({@code N x d}); minibatches are gathered in a fresh random
 * order every epoch. Not thread-safe.
 */
public final class EnergyTrainer implements AutoCloseable {
    private final TrainableEnergy model;
    private final Tensor data;
    private final TrainerSettings settings;
    private final RandomStream rng;
    private final RandomStream shuffle;
    private final Backend backend;
    private final int n;
    private final int k;
    private final Tensor batch;
    private final Tensor negativeStart;
    private final HmcChains chains;
    private final Tensor dataWeights;
    private final Tensor negativeWeights;
    private final List<Tensor> grads = new ArrayList<>();
    private final List<Tensor> velocities = new ArrayList<>();
    private final int[] repeated;
    private final double[] dataEnergy;
    private final double[] dataGrad;
    private final double[] negativeGrad;
    private final float[] upload;
    private final Tensor energies;
    private int[] order;
    private int cursor;
    private long iteration;
    private double stepSize;

    /**
     * @param data the training set on the model's backend, {@code N x d}
     * @param rng the stream every random choice draws from (minibatch order from a fork of it)
     */
    public EnergyTrainer(TrainableEnergy model, Tensor data, TrainerSettings settings, RandomStream rng) {
        model.checkPositions("EnergyTrainer", data);
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.rng = rng;
        this.shuffle = rng.fork(rng.streamId() + 1);
        this.backend = model.backend();
        this.n = Math.min(settings.batchSize(), data.rows());
        this.k = settings.negativesPerExample();
        int d = model.dimension();
        this.batch = backend.allocate(n, d);
        this.negativeStart = backend.allocate(n * k, d);
        this.dataWeights = backend.allocate(n, 1);
        this.negativeWeights = backend.allocate(n * k, 1);
        for (Tensor p : model.parameters()) {
            grads.add(backend.allocate(p.rows(), p.cols()));
            velocities.add(backend.allocate(p.rows(), p.cols()));
        }
        this.repeated = new int[n * k];
        this.dataEnergy = new double[n];
        this.dataGrad = new double[n];
        this.negativeGrad = new double[n * k];
        this.upload = new float[n * k];
        this.stepSize = settings.stepSize();
        // Persistent chains start at random data points; CD chains are reset to the batch every update.
        int[] start = shuffle.permutation(data.rows());
        for (int i = 0; i < n * k; i++) {
            repeated[i] = start[i / k];
        }
        backend.gatherRows(data, repeated, 0, negativeStart);
        this.chains = new HmcChains(model, negativeStart);
        this.energies = backend.allocate(n, 1);
    }

    public TrainableEnergy model() {
        return model;
    }

    /** The negatives' chains (after an update: the negatives it used). */
    public HmcChains chains() {
        return chains;
    }

    /** The leapfrog step size the next update's negatives will use. */
    public double stepSize() {
        return stepSize;
    }

    public long iteration() {
        return iteration;
    }

    /** One parameter update. */
    public TrainingStep step() {
        int base = nextBatchIndices();
        backend.gatherRows(data, order, base, batch);
        if (settings.negatives() == NegativeSampling.CD) {
            for (int i = 0; i < n * k; i++) {
                repeated[i] = order[base + i / k];
            }
            backend.gatherRows(data, repeated, 0, negativeStart);
            chains.setPositions(negativeStart);
        } else {
            chains.energyChanged();
        }
        double acceptance = 0;
        int divergent = 0;
        double usedStep = stepSize;
        double[] negativeEnergy;
        try {
            for (int t = 0; t < settings.trajectories(); t++) {
                TrajectoryStats s = settings.metropolis()
                        ? chains.transition((float) stepSize, settings.leapfrogSteps(), rng)
                        : chains.transitionUncorrected((float) stepSize, settings.leapfrogSteps(), rng);
                acceptance += s.meanAcceptProbability();
                divergent += s.divergent();
            }
            negativeEnergy = chains.potentials();
        } catch (IllegalStateException e) {
            throw new IllegalStateException("training diverged at update " + iteration + ": " + e.getMessage()
                    + "; lower the learning rate or raise the weight decay", e);
        }
        acceptance /= settings.trajectories();
        energiesOf(batch, dataEnergy);
        double loss = settings.loss().evaluate(dataEnergy, negativeEnergy, k, dataGrad, negativeGrad) / n;
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("training diverged at update " + iteration + ": the loss is " + loss
                    + " (data energies like " + dataEnergy[0] + "); lower the learning rate or raise the weight decay");
        }
        uploadScaled(dataGrad, dataWeights);
        uploadScaled(negativeGrad, negativeWeights);
        for (Tensor g : grads) {
            backend.fill(g, 0f);
        }
        model.accumulateParameterGradient(batch, dataWeights, grads);
        model.accumulateParameterGradient(chains.positions(), negativeWeights, grads);
        List<Tensor> params = model.parameters();
        double squaredNorm = 0;
        for (int i = 0; i < params.size(); i++) {
            if (settings.weightDecay() > 0 && model.decays(i)) {
                backend.axpy((float) settings.weightDecay(), params.get(i), grads.get(i));
            }
            if (settings.maxGradientNorm() < Double.POSITIVE_INFINITY) {
                squaredNorm += backend.dot(grads.get(i), grads.get(i));
            }
        }
        double norm = Math.sqrt(squaredNorm);
        float rate = (float) (norm > settings.maxGradientNorm()
                ? settings.learningRate() * settings.maxGradientNorm() / norm : settings.learningRate());
        for (int i = 0; i < params.size(); i++) {
            Tensor v = velocities.get(i);
            Tensor g = grads.get(i);
            backend.scale((float) settings.momentum(), v, v);
            if (settings.update() == TrainerSettings.Update.SIGN) {
                backend.axpy((float) (1 - settings.momentum()), g, v);
                backend.threshold(v, 0f, -1f, 1f, g); // sign(v); the gradient is no longer needed
                backend.axpy(-rate, g, params.get(i));
            } else {
                backend.axpy(-rate, g, v);
                backend.axpy(1f, v, params.get(i));
            }
        }
        model.parametersChanged();
        chains.energyChanged();
        if (settings.adaptStepSize()) {
            // Multiplicative nudge: about 5% per update at the extremes, none at the target.
            stepSize *= Math.exp(0.05 * (acceptance - settings.targetAccept()) / Math.max(settings.targetAccept(),
                    1 - settings.targetAccept()));
            stepSize = Math.min(Math.max(stepSize, 1e-5), 10);
        }
        double meanData = 0;
        for (double e : dataEnergy) {
            meanData += e;
        }
        double meanNeg = 0;
        for (double e : negativeEnergy) {
            meanNeg += e;
        }
        return new TrainingStep(iteration++, loss, meanData / n, meanNeg / negativeEnergy.length, acceptance,
                divergent, usedStep);
    }

    // The start of the next minibatch in `order`, reshuffling at each epoch's end.
    private int nextBatchIndices() {
        if (order == null || cursor + n > order.length) {
            order = shuffle.permutation(data.rows());
            cursor = 0;
        }
        int base = cursor;
        cursor += n;
        return base;
    }

    private void energiesOf(Tensor x, double[] out) {
        model.energy(x, energies);
        energies.copyTo(upload, 0);
        for (int i = 0; i < out.length; i++) {
            out[i] = upload[i];
        }
    }

    // Loss derivatives of the summed loss, divided by the batch size (the loss is a batch mean).
    private void uploadScaled(double[] g, Tensor target) {
        for (int i = 0; i < g.length; i++) {
            upload[i] = (float) (g[i] / n);
        }
        target.copyFrom(upload, 0);
    }

    @Override
    public void close() {
        chains.close();
        for (Tensor t : new Tensor[] {batch, negativeStart, dataWeights, negativeWeights, energies}) {
            t.close();
        }
        grads.forEach(Tensor::close);
        velocities.forEach(Tensor::close);
    }
}
