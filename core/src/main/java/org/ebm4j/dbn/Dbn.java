package org.ebm4j.dbn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.ebm4j.random.RandomStream;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmParameters;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * A deep belief network: a stack of {@link Rbm}s in which the hidden layer of RBM {@code i} is the
 * visible layer of RBM {@code i + 1}. The first RBM has Bernoulli or Gaussian visibles (the data);
 * every other layer is Bernoulli. Sizes are {@code sizes()[0]} (data) up to
 * {@code sizes()[depth()]} (top hidden layer).
 *
 * <p>As a generative model the top RBM is an undirected associative memory and the lower layers
 * are directed top-down (sigmoid belief net) connections: {@link #generate} runs Gibbs sampling in
 * the top RBM, then one top-down pass of conditional means. As a feature extractor, {@link #upPass}
 * propagates hidden probabilities {@code p(h | v)} upward.
 */
public final class Dbn implements AutoCloseable {
    private final Backend backend;
    private final List<Rbm> layers;

    private Dbn(Backend backend, List<Rbm> layers) {
        this.backend = backend;
        this.layers = layers;
    }

    /**
     * A DBN of all-zero RBMs with layer sizes {@code sizes} ({@code sizes[0]} data units, at least one
     * hidden layer), the first layer's visibles of {@code type}.
     */
    public static Dbn zeros(Backend backend, VisibleType type, int[] sizes) {
        Objects.requireNonNull(backend, "backend");
        checkSizes(sizes);
        List<Rbm> l = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            l.add(Rbm.zeros(backend, i == 0 ? type : VisibleType.BERNOULLI, sizes[i], sizes[i + 1]));
        }
        return new Dbn(backend, l);
    }

    /** A DBN holding copies of {@code stack}, whose shapes must chain (hidden of one = visible of the next). */
    public static Dbn of(Backend backend, List<RbmParameters> stack) {
        if (stack.isEmpty()) {
            throw new IllegalArgumentException("a DBN needs at least one RBM");
        }
        for (int i = 0; i < stack.size(); i++) {
            RbmParameters p = stack.get(i);
            if (i > 0 && p.visibleType() != VisibleType.BERNOULLI) {
                throw new IllegalArgumentException("layer " + i + " must have Bernoulli visibles (it is fed by layer "
                        + (i - 1) + "'s hidden units), found " + p.visibleType().id());
            }
            if (i > 0 && p.visible() != stack.get(i - 1).hidden()) {
                throw new IllegalArgumentException("layer " + i + " has " + p.visible() + " visible units but layer "
                        + (i - 1) + " has " + stack.get(i - 1).hidden() + " hidden units");
            }
        }
        List<Rbm> l = new ArrayList<>();
        for (RbmParameters p : stack) {
            l.add(Rbm.of(backend, p));
        }
        return new Dbn(backend, l);
    }

    static void checkSizes(int[] sizes) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("a DBN needs a data size and at least one hidden layer size, found "
                    + (sizes == null ? "none" : sizes.length + " size(s)"));
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] <= 0) {
                throw new IllegalArgumentException("layer size " + i + " must be positive, found " + sizes[i]);
            }
        }
    }

    /** Number of RBMs (hidden layers). */
    public int depth() {
        return layers.size();
    }

    /** Layer sizes: data units first, top hidden units last ({@code depth() + 1} values). */
    public int[] sizes() {
        int[] s = new int[layers.size() + 1];
        s[0] = layers.get(0).visible();
        for (int i = 0; i < layers.size(); i++) {
            s[i + 1] = layers.get(i).hidden();
        }
        return s;
    }

    public VisibleType visibleType() {
        return layers.get(0).visibleType();
    }

    /** RBM {@code i} (0 = the one on the data); its parameters are updated in place by pretraining. */
    public Rbm layer(int i) {
        return layers.get(i);
    }

    public List<Rbm> layers() {
        return Collections.unmodifiableList(layers);
    }

    public Backend backend() {
        return backend;
    }

    /** Host copies of every layer's parameters, bottom first. */
    public List<RbmParameters> parameters() {
        List<RbmParameters> p = new ArrayList<>();
        for (Rbm r : layers) {
            p.add(r.parameters());
        }
        return p;
    }

    /**
     * Features: the hidden probabilities of layer {@code level} ({@code 1..depth()}) for the
     * {@code n} rows of {@code v} ({@code n x sizes()[0]}), by the deterministic up-pass
     * {@code h_i = sigmoid(h_{i-1} W_i + c_i)}. Returns a new {@code n x sizes()[level]} tensor
     * (the caller closes it). {@code level == 0} returns a copy of {@code v}.
     */
    public Tensor upPass(Tensor v, int level) {
        if (level < 0 || level > depth()) {
            throw new IllegalArgumentException("level must be in [0, " + depth() + "], found " + level);
        }
        if (v.cols() != layers.get(0).visible()) {
            throw new IllegalArgumentException("input has " + v.cols() + " columns but the DBN has "
                    + layers.get(0).visible() + " visible units");
        }
        Tensor cur = backend.allocate(v.rows(), v.cols());
        backend.copy(v, cur);
        for (int i = 0; i < level; i++) {
            Tensor next = backend.allocate(v.rows(), layers.get(i).hidden());
            layers.get(i).hiddenProbabilities(cur, next, next);
            cur.close();
            cur = next;
        }
        return cur;
    }

    /**
     * Generates {@code chains} visible patterns: the top RBM's visible layer starts from the up-pass
     * of {@code start} ({@code chains x sizes()[0]}, e.g. data rows or their means), runs
     * {@code steps} block-Gibbs steps, and the last hidden sample is passed down as conditional
     * means {@code E[v | h]} through every RBM (the lower layers act as directed generative
     * connections). Returns {@code chains x sizes()[0]} visible means on the host.
     */
    public float[] generate(Tensor start, int steps, RandomStream rng) {
        if (steps < 0) {
            throw new IllegalArgumentException("Gibbs steps must be >= 0, found " + steps);
        }
        int n = start.rows();
        int top = depth() - 1;
        Rbm topRbm = layers.get(top);
        try (Tensor v = upPass(start, top);
             Tensor pre = backend.allocate(n, topRbm.hidden());
             Tensor h = backend.allocate(n, topRbm.hidden())) {
            topRbm.sampleHidden(v, pre, null, h, rng);
            for (int s = 0; s < steps; s++) {
                topRbm.sampleVisible(h, v, rng);
                topRbm.sampleHidden(v, pre, null, h, rng);
            }
            Tensor below = h;
            Tensor owned = null;
            for (int i = top; i >= 0; i--) {
                Tensor mean = backend.allocate(n, layers.get(i).visible());
                layers.get(i).visibleMean(below, mean);
                if (owned != null) {
                    owned.close();
                }
                owned = mean;
                below = mean;
            }
            float[] out = owned.toArray();
            owned.close();
            return out;
        }
    }

    @Override
    public void close() {
        for (Rbm r : layers) {
            r.close();
        }
    }
}
