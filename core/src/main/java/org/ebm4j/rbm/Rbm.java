package org.ebm4j.rbm;

import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A restricted Boltzmann machine whose parameters live on a {@link Backend}: weights
 * {@code W} ({@code nv x nh}), visible bias {@code b} ({@code 1 x nv}), hidden bias
 * {@code c} ({@code 1 x nh}). Hidden units are Bernoulli; visible units are Bernoulli or
 * unit-variance Gaussian ({@link VisibleType}).
 *
 * <p>Energies (per example, {@code v} a row of visibles, {@code h} a row of hiddens):
 * <ul>
 *   <li>Bernoulli: {@code E(v, h) = -b.v - c.h - v W h}, free energy
 *       {@code F(v) = -b.v - sum_j softplus(c_j + (v W)_j)};</li>
 *   <li>Gaussian: {@code E(v, h) = |v - b|^2 / 2 - c.h - v W h}, free energy
 *       {@code F(v) = |v - b|^2 / 2 - sum_j softplus(c_j + (v W)_j)}.</li>
 * </ul>
 * Conditionals: {@code p(h_j = 1 | v) = sigmoid(c_j + (v W)_j)}; {@code p(v_i = 1 | h) =
 * sigmoid(b_i + (h W^T)_i)} or {@code v_i | h ~ N(b_i + (h W^T)_i, 1)}.
 *
 * <p>Every method works on batches (one example per row) and writes into tensors the caller
 * owns, so training and evaluation loops allocate no tensors. The model never knows which backend
 * it runs on.
 */
public final class Rbm implements AutoCloseable {
    /** Visible base rates are clipped to {@code [EPS, 1 - EPS]} before taking log-odds. */
    public static final float BASE_RATE_EPS = 1e-3f;

    private final Backend backend;
    private final VisibleType visibleType;
    private final int visible;
    private final int hidden;
    private final Tensor weights;
    private final Tensor visibleBias;
    private final Tensor hiddenBias;

    private Rbm(Backend backend, VisibleType visibleType, int visible, int hidden) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.visibleType = Objects.requireNonNull(visibleType, "visibleType");
        this.visible = visible;
        this.hidden = hidden;
        this.weights = backend.allocate(visible, hidden);
        this.visibleBias = backend.allocate(1, visible);
        this.hiddenBias = backend.allocate(1, hidden);
    }

    /** An RBM with all parameters zero. */
    public static Rbm zeros(Backend backend, VisibleType type, int visible, int hidden) {
        RbmParameters.zeros(type, 1, 1); // validates the type
        if (visible <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("an RBM needs at least one visible and one hidden unit, found "
                    + visible + "x" + hidden);
        }
        return new Rbm(backend, type, visible, hidden);
    }

    /** An RBM on {@code backend} holding a copy of {@code p}. */
    public static Rbm of(Backend backend, RbmParameters p) {
        Rbm rbm = new Rbm(backend, p.visibleType(), p.visible(), p.hidden());
        rbm.load(p);
        return rbm;
    }

    /** Overwrites the parameters with {@code p} (same type and shape). */
    public void load(RbmParameters p) {
        if (p.visibleType() != visibleType || p.visible() != visible || p.hidden() != hidden) {
            throw new IllegalArgumentException("parameters are a " + p.visibleType().id() + " " + p.visible() + "x"
                    + p.hidden() + " RBM but this model is " + visibleType.id() + " " + visible + "x" + hidden);
        }
        weights.copyFrom(p.weights());
        visibleBias.copyFrom(p.visibleBias());
        hiddenBias.copyFrom(p.hiddenBias());
    }

    /** A host copy of the parameters. */
    public RbmParameters parameters() {
        return new RbmParameters(visibleType, visible, hidden, weights.toArray(), visibleBias.toArray(),
                hiddenBias.toArray());
    }

    /**
     * The usual starting point: weights {@code N(0, weightStd^2)} (one draw from {@code rng}),
     * hidden biases 0, visible biases from the data's per-unit means {@code visibleMeans}
     * ({@code 1 x nv}, or null for zeros): log-odds of the mean clipped to
     * {@code [BASE_RATE_EPS, 1 - BASE_RATE_EPS]} for Bernoulli visibles, the mean itself for
     * Gaussian ones.
     */
    public void initialize(float weightStd, RandomStream rng, float[] visibleMeans) {
        if (!(weightStd >= 0f) || !Float.isFinite(weightStd)) {
            throw new IllegalArgumentException("initial weight std must be finite and >= 0, found " + weightStd);
        }
        backend.sampler().fillNormal(weights, 0f, weightStd, rng);
        backend.fill(hiddenBias, 0f);
        if (visibleMeans == null) {
            backend.fill(visibleBias, 0f);
            return;
        }
        if (visibleMeans.length != visible) {
            throw new IllegalArgumentException("visible means must have " + visible + " values, found "
                    + visibleMeans.length);
        }
        float[] b = new float[visible];
        for (int i = 0; i < visible; i++) {
            b[i] = visibleType == VisibleType.BERNOULLI ? logOdds(visibleMeans[i]) : visibleMeans[i];
        }
        visibleBias.copyFrom(b);
    }

    /** {@code log(p / (1 - p))} with {@code p} clipped to {@code [BASE_RATE_EPS, 1 - BASE_RATE_EPS]}. */
    public static float logOdds(float p) {
        double q = Math.min(Math.max(p, BASE_RATE_EPS), 1.0 - BASE_RATE_EPS);
        return (float) Math.log(q / (1.0 - q));
    }

    /** Column means of {@code data} ({@code n x nv}) on the host, accumulated by the backend. */
    public static float[] columnMeans(Tensor data) {
        Backend b = data.backend();
        try (Tensor m = b.allocate(1, data.cols())) {
            b.columnSums(data, 1f / data.rows(), 0f, m);
            return m.toArray();
        }
    }

    // ---- conditionals and sampling ---------------------------------------------------------------

    /** {@code pre = v W}: hidden inputs without bias. {@code v} is {@code n x nv}, {@code pre} {@code n x nh}. */
    public void hiddenInput(Tensor v, Tensor pre) {
        backend.gemm(false, false, 1f, v, weights, 0f, pre);
    }

    /** {@code probs = sigmoid(v W + c)}; {@code pre} is {@code n x nh} scratch (may be {@code probs}). */
    public void hiddenProbabilities(Tensor v, Tensor pre, Tensor probs) {
        hiddenInput(v, pre);
        backend.sigmoid(pre, hiddenBias, probs);
    }

    /**
     * Samples {@code h ~ p(h | v)} into {@code samples} (and the probabilities into {@code probs},
     * which may be null), one draw from {@code rng}. {@code pre} is {@code n x nh} scratch.
     */
    public void sampleHidden(Tensor v, Tensor pre, Tensor probs, Tensor samples, RandomStream rng) {
        hiddenInput(v, pre);
        backend.sampler().sampleSigmoidBernoulli(pre, hiddenBias, 1f, probs, samples, rng);
    }

    /** {@code pre = h W^T}: visible inputs without bias. {@code h} is {@code n x nh}, {@code pre} {@code n x nv}. */
    public void visibleInput(Tensor h, Tensor pre) {
        backend.gemm(false, true, 1f, h, weights, 0f, pre);
    }

    /**
     * {@code mean = E[v | h]}: {@code sigmoid(h W^T + b)} or {@code h W^T + b}. {@code mean} may be
     * used as its own scratch: it is written via the visible input.
     */
    public void visibleMean(Tensor h, Tensor mean) {
        visibleInput(h, mean);
        if (visibleType == VisibleType.BERNOULLI) {
            backend.sigmoid(mean, visibleBias, mean);
        } else {
            backend.addRowVector(mean, visibleBias, 1f, mean);
        }
    }

    /** Samples {@code v ~ p(v | h)} into {@code samples} ({@code n x nv}), one draw from {@code rng}. */
    public void sampleVisible(Tensor h, Tensor samples, RandomStream rng) {
        visibleInput(h, samples);
        if (visibleType == VisibleType.BERNOULLI) {
            backend.sampler().sampleSigmoidBernoulli(samples, visibleBias, 1f, null, samples, rng);
        } else {
            backend.sampler().sampleGaussian(samples, visibleBias, 1f, samples, rng);
        }
    }

    // ---- energies ------------------------------------------------------------------------------

    /**
     * Free energies {@code F(v)} of the {@code n} rows of {@code v} into {@code out} ({@code n x 1}).
     * {@code pre} ({@code n x nh}) and {@code scratch} ({@code n x 1}) are workspaces.
     */
    public void freeEnergy(Tensor v, Tensor pre, Tensor scratch, Tensor out) {
        hiddenInput(v, pre);
        backend.softplusRowSums(pre, hiddenBias, 1f, scratch);
        // out = -b.v
        backend.gemm(false, true, -1f, v, visibleBias, 0f, out);
        if (visibleType == VisibleType.GAUSSIAN) {
            // |v - b|^2 / 2 = |v|^2 / 2 - b.v + |b|^2 / 2
            backend.axpy(-1f, scratch, out);
            backend.rowSquaredNorms(v, null, scratch);
            backend.axpy(0.5f, scratch, out);
            float half = (float) (0.5 * backend.dot(visibleBias, visibleBias));
            backend.fill(scratch, half);
            backend.axpy(1f, scratch, out);
        } else {
            backend.axpy(-1f, scratch, out);
        }
    }

    /**
     * Energies {@code E(v, h)} of paired rows into {@code out} ({@code n x 1}); {@code pre}
     * ({@code n x nh}) and {@code scratch} ({@code n x 1}) are workspaces.
     */
    public void energy(Tensor v, Tensor h, Tensor pre, Tensor scratch, Tensor out) {
        hiddenInput(v, pre);
        backend.mul(pre, h, pre);
        backend.rowSums(pre, out);
        backend.gemm(false, true, 1f, h, hiddenBias, 1f, out);
        backend.scale(-1f, out, out);
        if (visibleType == VisibleType.GAUSSIAN) {
            backend.gemm(false, true, -1f, v, visibleBias, 1f, out);
            backend.rowSquaredNorms(v, null, scratch);
            backend.axpy(0.5f, scratch, out);
            backend.fill(scratch, (float) (0.5 * backend.dot(visibleBias, visibleBias)));
            backend.axpy(1f, scratch, out);
        } else {
            backend.gemm(false, true, -1f, v, visibleBias, 1f, out);
        }
    }

    // ---- accessors ------------------------------------------------------------------------------

    public Backend backend() {
        return backend;
    }

    public VisibleType visibleType() {
        return visibleType;
    }

    public int visible() {
        return visible;
    }

    public int hidden() {
        return hidden;
    }

    /** {@code nv x nh}; updated in place by trainers. */
    public Tensor weights() {
        return weights;
    }

    /** {@code 1 x nv}. */
    public Tensor visibleBias() {
        return visibleBias;
    }

    /** {@code 1 x nh}. */
    public Tensor hiddenBias() {
        return hiddenBias;
    }

    @Override
    public void close() {
        weights.close();
        visibleBias.close();
        hiddenBias.close();
    }

    @Override
    public String toString() {
        return "Rbm[" + visibleType.id() + " " + visible + "x" + hidden + " on " + backend.name() + "]";
    }
}
