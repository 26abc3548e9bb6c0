package org.ebm4j.boltzmann;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * Maximum-likelihood learning for a {@link BoltzmannMachine}, the rule of Ackley, Hinton and
 * Sejnowski (1985): {@code dW = <s s^T>_data - <s s^T>_model} (zero diagonal) and
 * {@code db = <s>_data - <s>_model}. The data term comes from one chain per data vector with the
 * visible units clamped to it and the hidden units Gibbs-sampled; the model term from free-running
 * chains, persistent across updates or restarted from the data chains ({@link TrainingConfig}).
 * Updates use momentum and optional weight decay. Everything runs on the machine's backend; all
 * workspaces are allocated once, here.
 *
 * <p>Data are {@code D x visible} tensors of unit values on the same backend.
 */
public final class BoltzmannTrainer implements AutoCloseable {
    private final BoltzmannMachine machine;
    private final TrainingConfig config;
    private final GibbsSampler sampler;
    private final Backend backend;
    private final int n;

    private final Tensor batchVisible;
    private final Tensor visibleSelector;
    private final Tensor hiddenMask;
    private final Tensor noise;
    private final NetworkChains dataChains;
    private final NetworkChains modelChains;
    private final Tensor gradW;
    private final Tensor gradB;
    private final Tensor velocityW;
    private final Tensor velocityB;
    private double learningRate;
    private boolean modelChainsStarted;
    private int[] order = new int[0];

    public BoltzmannTrainer(BoltzmannMachine machine, TrainingConfig config) {
        if (machine == null || config == null) {
            throw new IllegalArgumentException("machine and config must not be null");
        }
        this.machine = machine;
        this.config = config;
        this.learningRate = config.learningRate();
        this.sampler = new GibbsSampler(machine);
        this.backend = machine.backend();
        this.n = machine.size();
        int b = config.batchSize();
        int v = machine.visible();
        this.batchVisible = backend.allocate(b, v);
        float[] select = new float[v * n];
        for (int i = 0; i < v; i++) {
            select[i * n + i] = 1f;
        }
        this.visibleSelector = backend.fromArray(select, v, n);
        float[] mask = new float[b * n];
        for (int r = 0; r < b; r++) {
            for (int j = v; j < n; j++) {
                mask[r * n + j] = 1f;
            }
        }
        this.hiddenMask = backend.fromArray(mask, b, n);
        this.noise = backend.allocate(b, n);
        this.dataChains = NetworkChains.allocate(machine.couplings(), b);
        this.modelChains = config.persistent() ? NetworkChains.allocate(machine.couplings(), config.modelChains()) : null;
        this.gradW = backend.allocate(n, n);
        this.gradB = backend.allocate(1, n);
        this.velocityW = backend.allocate(n, n);
        this.velocityB = backend.allocate(1, n);
    }

    /** The step size now in use: the config's until {@link #learningRate(double)} changes it (for decay schedules). */
    public double learningRate() {
        return learningRate;
    }

    /** Sets the step size of the following updates ({@code >= 0}; 0 freezes the parameters). */
    public void learningRate(double lr) {
        if (!(lr >= 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0 but is " + lr);
        }
        this.learningRate = lr;
    }

    public TrainingConfig config() {
        return config;
    }

    public BoltzmannMachine machine() {
        return machine;
    }

    /**
     * The sampled gradient for the {@code batchSize} data vectors of {@code data} whose rows are
     * {@code rows[offset .. offset + batchSize)}: writes {@code dW} ({@code n x n}, zero diagonal) and
     * {@code db} ({@code 1 x n}) into the trainer's gradient tensors and returns them as {@link Moments}
     * (a host copy) when {@code toHost} is set, else null.
     */
    public Moments gradient(Tensor data, int[] rows, int offset, RandomStream rng, boolean toHost) {
        checkData(data);
        int b = config.batchSize();
        backend.gatherRows(data, rows, offset, batchVisible);
        Tensor ds = dataChains.state();
        backend.gemm(false, false, 1f, batchVisible, visibleSelector, 0f, ds);
        if (machine.hidden() > 0) {
            backend.sampler().fillUniform(noise, rng);
            backend.threshold(noise, 0.5f, machine.unitValues().low(), machine.unitValues().high(), noise);
            backend.mul(noise, hiddenMask, noise);
            backend.add(ds, noise, ds);
        }
        dataChains.refreshField();
        if (machine.hidden() > 0) {
            for (int k = 0; k < config.dataSweeps(); k++) {
                sampler.sweepHidden(dataChains, 1.0, rng);
            }
        }
        backend.gemm(true, false, 1f / b, ds, ds, 0f, gradW);
        backend.columnSums(ds, 1f / b, 0f, gradB);

        NetworkChains model;
        if (config.persistent()) {
            model = modelChains;
            if (!modelChainsStarted) {
                sampler.randomize(model, rng);
                modelChainsStarted = true;
            } else {
                model.refreshField();
            }
        } else {
            model = dataChains;
        }
        for (int k = 0; k < config.modelSweeps(); k++) {
            sampler.sweep(model, 1.0, null, rng);
        }
        Tensor ms = model.state();
        backend.gemm(true, false, -1f / ms.rows(), ms, ms, 1f, gradW);
        backend.columnSums(ms, -1f / ms.rows(), 1f, gradB);
        machine.couplings().zeroDiagonal(gradW);
        if (!toHost) {
            return null;
        }
        float[] w = gradW.toArray();
        float[] bb = gradB.toArray();
        double[] pw = new double[n * n];
        double[] pb = new double[n];
        for (int i = 0; i < pw.length; i++) {
            pw[i] = w[i];
        }
        for (int i = 0; i < n; i++) {
            pb[i] = bb[i];
        }
        return new Moments(n, pw, pb);
    }

    /** One update from the batch {@code rows[offset .. offset + batchSize)} of {@code data}. */
    public void step(Tensor data, int[] rows, int offset, RandomStream rng) {
        gradient(data, rows, offset, rng, false);
        float lr = (float) learningRate;
        float mom = (float) config.momentum();
        Couplings c = machine.couplings();
        backend.scale(mom, velocityW, velocityW);
        backend.axpy(lr, gradW, velocityW);
        if (config.weightDecay() > 0) {
            backend.axpy((float) (-learningRate * config.weightDecay()), c.weights(), velocityW);
        }
        backend.axpy(1f, velocityW, c.weights());
        backend.scale(mom, velocityB, velocityB);
        backend.axpy(lr, gradB, velocityB);
        backend.axpy(1f, velocityB, c.bias());
    }

    /**
     * One pass over {@code data} ({@code D x visible}) in a random order from {@code rng}:
     * {@code ceil(D / batchSize)} updates; the last batch wraps around to the start of the shuffled
     * order so every batch is full (the workspaces keep one shape).
     */
    public void epoch(Tensor data, RandomStream rng) {
        checkData(data);
        int d = data.rows();
        int b = config.batchSize();
        int batches = (d + b - 1) / b;
        if (order.length != batches * b) {
            order = new int[batches * b];
        }
        int[] perm = rng.permutation(d);
        for (int k = 0; k < order.length; k++) {
            order[k] = perm[k % d];
        }
        for (int k = 0; k < batches; k++) {
            step(data, order, k * b, rng);
        }
    }

    private void checkData(Tensor data) {
        if (data == null) {
            throw new IllegalArgumentException("data tensor is null");
        }
        if (data.cols() != machine.visible()) {
            throw new IllegalArgumentException("data has " + data.cols() + " columns but the machine has "
                    + machine.visible() + " visible units");
        }
    }

    @Override
    public void close() {
        batchVisible.close();
        visibleSelector.close();
        hiddenMask.close();
        noise.close();
        dataChains.close();
        if (modelChains != null) {
            modelChains.close();
        }
        gradW.close();
        gradB.close();
        velocityW.close();
        velocityB.close();
    }
}
