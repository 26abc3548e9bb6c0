package org.ebm4j.dbn;

import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The feed-forward network a DBN unrolls into for discriminative fine-tuning: sigmoid hidden
 * layers {@code a_{i+1} = sigmoid(a_i W_i + b_i)} ({@code W_i} is {@code n_i x n_{i+1}}, {@code b_i}
 * {@code 1 x n_{i+1}}) and a softmax output layer over {@code classes} classes trained with
 * cross-entropy. Parameters live on the backend; {@link Workspace} holds the activations and
 * gradients of one batch shape, so a training loop allocates no tensors.
 */
public final class Classifier implements AutoCloseable {
    private final Backend backend;
    private final int[] sizes;
    private final Tensor[] weights;
    private final Tensor[] biases;

    /** A network with layer sizes {@code sizes} (inputs first, classes last), all parameters zero. */
    public Classifier(Backend backend, int[] sizes) {
        this.backend = Objects.requireNonNull(backend, "backend");
        Dbn.checkSizes(sizes);
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        weights = new Tensor[layers];
        biases = new Tensor[layers];
        for (int i = 0; i < layers; i++) {
            weights[i] = backend.allocate(sizes[i], sizes[i + 1]);
            biases[i] = backend.allocate(1, sizes[i + 1]);
        }
    }

    /**
     * The unrolled DBN: hidden layers take the RBMs' weights and hidden biases; the output layer
     * ({@code top x classes}) gets weights {@code N(0, outputStd^2)} from {@code rng} and zero biases.
     */
    public static Classifier fromDbn(Dbn dbn, int classes, float outputStd, RandomStream rng) {
        int[] s = dbn.sizes();
        int[] sizes = new int[s.length + 1];
        System.arraycopy(s, 0, sizes, 0, s.length);
        sizes[s.length] = classes;
        Classifier c = new Classifier(dbn.backend(), sizes);
        for (int i = 0; i < dbn.depth(); i++) {
            dbn.backend().copy(dbn.layer(i).weights(), c.weights[i]);
            dbn.backend().copy(dbn.layer(i).hiddenBias(), c.biases[i]);
        }
        dbn.backend().sampler().fillNormal(c.weights[c.layers() - 1], 0f, outputStd, rng);
        return c;
    }

    /** Random initialization of every layer (the baseline without pretraining): weights {@code N(0, std^2)}, zero biases. */
    public void initializeRandom(float std, RandomStream rng) {
        for (int i = 0; i < layers(); i++) {
            backend.sampler().fillNormal(weights[i], 0f, std, rng);
            backend.fill(biases[i], 0f);
        }
    }

    /**
     * Random initialization as Glorot and Bengio (2010) recommend: layer {@code i}'s weights from
     * {@code N(0, std_i^2)} with {@code std_i = sqrt(2 / (fan_in + fan_out))}, times 4 for the sigmoid
     * layers (the sigmoid's slope at 0 is 1/4), not for the softmax layer; zero biases. The layers
     * draw from {@code rng} in order, bottom first.
     */
    public void initializeGlorot(RandomStream rng) {
        for (int i = 0; i < layers(); i++) {
            double std = Math.sqrt(2.0 / (sizes[i] + sizes[i + 1])) * (i + 1 < layers() ? 4 : 1);
            backend.sampler().fillNormal(weights[i], 0f, (float) std, rng);
            backend.fill(biases[i], 0f);
        }
    }

    public int layers() {
        return weights.length;
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public int inputs() {
        return sizes[0];
    }

    public int classes() {
        return sizes[sizes.length - 1];
    }

    public Backend backend() {
        return backend;
    }

    /** {@code n_i x n_{i+1}}. */
    public Tensor weights(int i) {
        return weights[i];
    }

    /** {@code 1 x n_{i+1}}. */
    public Tensor bias(int i) {
        return biases[i];
    }

    /** Host copies of the weights ({@code [i]} row-major {@code n_i x n_{i+1}}) and biases. */
    public float[][] hostWeights() {
        float[][] w = new float[layers()][];
        for (int i = 0; i < layers(); i++) {
            w[i] = weights[i].toArray();
        }
        return w;
    }

    public float[][] hostBiases() {
        float[][] b = new float[layers()][];
        for (int i = 0; i < layers(); i++) {
            b[i] = biases[i].toArray();
        }
        return b;
    }

    /** Overwrites the parameters from host arrays shaped as {@link #hostWeights()} and {@link #hostBiases()}. */
    public void load(float[][] w, float[][] b) {
        if (w.length != layers() || b.length != layers()) {
            throw new IllegalArgumentException("expected " + layers() + " weight matrices and bias vectors, found "
                    + w.length + " and " + b.length);
        }
        for (int i = 0; i < layers(); i++) {
            weights[i].copyFrom(w[i]);
            biases[i].copyFrom(b[i]);
        }
    }

    /** A workspace for batches of {@code rows} examples. */
    public Workspace workspace(int rows) {
        return new Workspace(rows);
    }

    /**
     * Forward pass of {@code x} ({@code rows x inputs}): fills the workspace's activations and its
     * logits ({@code rows x classes}).
     */
    public void forward(Tensor x, Workspace ws) {
        ws.check(x);
        Tensor in = x;
        int last = layers() - 1;
        for (int i = 0; i < last; i++) {
            backend.gemm(false, false, 1f, in, weights[i], 0f, ws.act[i]);
            backend.sigmoid(ws.act[i], biases[i], ws.act[i]);
            in = ws.act[i];
        }
        backend.gemm(false, false, 1f, in, weights[last], 0f, ws.logits);
        backend.addRowVector(ws.logits, biases[last], 1f, ws.logits);
    }

    /** Predicted class of each row of {@code x} into {@code ws.predictions()} ({@code rows x 1}). */
    public void predict(Tensor x, Workspace ws) {
        forward(x, ws);
        backend.argmaxRows(ws.logits, ws.predicted);
    }

    /**
     * The predicted class of every row of {@code x} ({@code n x inputs}), by forward passes of at
     * most {@code batch} rows (the last one shorter).
     */
    public int[] classify(Tensor x, int batch) {
        if (x.cols() != inputs()) {
            throw new IllegalArgumentException("input has " + x.cols() + " columns but the classifier has " + inputs()
                    + " inputs");
        }
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, found " + batch);
        }
        int n = x.rows();
        int full = Math.min(batch, n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        int[] out = new int[n];
        float[] pred = new float[full];
        try (Tensor xb = backend.allocate(full, x.cols()); Workspace ws = workspace(full)) {
            for (int off = 0; off < n; off += full) {
                int rows = Math.min(full, n - off);
                if (rows == full) {
                    backend.gatherRows(x, idx, off, xb);
                    predict(xb, ws);
                    ws.predictions().copyTo(pred, 0);
                } else {
                    try (Tensor xt = backend.allocate(rows, x.cols()); Workspace wt = workspace(rows)) {
                        backend.gatherRows(x, idx, off, xt);
                        predict(xt, wt);
                        wt.predictions().copyTo(pred, 0);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    out[off + r] = (int) pred[r];
                }
            }
        }
        return out;
    }

    /**
     * Forward and backward pass: the mean cross-entropy gradient over the batch, for targets
     * {@code t} ({@code rows x classes}, one-hot or probabilities), into the workspace's
     * {@code gradWeights}/{@code gradBiases}; per-row losses into {@code ws.losses()}. The sigmoid
     * derivative {@code a (1 - a)} is composed from elementwise ops.
     */
    public void gradient(Tensor x, Tensor t, Workspace ws) {
        forward(x, ws);
        int last = layers() - 1;
        float inv = 1f / ws.rows;
        backend.softmaxCrossEntropy(ws.logits, t, null, ws.delta[last], ws.loss);
        for (int i = last; i >= 0; i--) {
            Tensor in = i == 0 ? x : ws.act[i - 1];
            backend.gemm(true, false, inv, in, ws.delta[i], 0f, ws.gradW[i]);
            backend.columnSums(ws.delta[i], inv, 0f, ws.gradB[i]);
            if (i > 0) {
                Tensor a = ws.act[i - 1];
                Tensor d = ws.delta[i - 1];
                backend.gemm(false, true, 1f, ws.delta[i], weights[i], 0f, d);
                // d *= a - a*a (the sigmoid's derivative), via the scratch of this layer's shape.
                backend.mul(a, a, ws.scratch[i - 1]);
                backend.sub(a, ws.scratch[i - 1], ws.scratch[i - 1]);
                backend.mul(d, ws.scratch[i - 1], d);
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < layers(); i++) {
            weights[i].close();
            biases[i].close();
        }
    }


    /** Activations, deltas and gradients for one batch shape. */
    public final class Workspace implements AutoCloseable {
        final int rows;
        final Tensor[] act;
        final Tensor[] scratch;
        final Tensor[] delta;
        final Tensor[] gradW;
        final Tensor[] gradB;
        final Tensor logits;
        final Tensor loss;
        final Tensor predicted;

        Workspace(int rows) {
            if (rows <= 0) {
                throw new IllegalArgumentException("batch rows must be positive, found " + rows);
            }
            this.rows = rows;
            int l = layers();
            act = new Tensor[l - 1];
            scratch = new Tensor[l - 1];
            for (int i = 0; i < l - 1; i++) {
                act[i] = backend.allocate(rows, sizes[i + 1]);
                scratch[i] = backend.allocate(rows, sizes[i + 1]);
            }
            delta = new Tensor[l];
            gradW = new Tensor[l];
            gradB = new Tensor[l];
            for (int i = 0; i < l; i++) {
                delta[i] = backend.allocate(rows, sizes[i + 1]);
                gradW[i] = backend.allocate(sizes[i], sizes[i + 1]);
                gradB[i] = backend.allocate(1, sizes[i + 1]);
            }
            logits = backend.allocate(rows, classes());
            loss = backend.allocate(rows, 1);
            predicted = backend.allocate(rows, 1);
        }

        void check(Tensor x) {
            if (x.rows() != rows || x.cols() != inputs()) {
                throw new IllegalArgumentException("input is " + x.shape() + " but the workspace expects " + rows + "x"
                        + inputs());
            }
        }

        public int rows() {
            return rows;
        }

        /** {@code rows x classes} logits of the last forward pass. */
        public Tensor logits() {
            return logits;
        }

        /** {@code rows x 1} per-row cross-entropy of the last {@link #gradient} call. */
        public Tensor losses() {
            return loss;
        }

        /** {@code rows x 1} class indices (as floats) of the last {@link #predict} call. */
        public Tensor predictions() {
            return predicted;
        }

        /** Mean-loss gradient w.r.t. {@code weights(i)}. */
        public Tensor gradWeights(int i) {
            return gradW[i];
        }

        /** Mean-loss gradient w.r.t. {@code bias(i)}. */
        public Tensor gradBias(int i) {
            return gradB[i];
        }

        @Override
        public void close() {
            for (Tensor[] ts : new Tensor[][] {act, scratch, delta, gradW, gradB}) {
                for (Tensor t : ts) {
                    t.close();
                }
            }
            logits.close();
            loss.close();
            predicted.close();
        }
    }
}
