package org.ebm4j.energy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.MemoryEstimate;

/**
 * An energy model with deterministic hidden units (Hinton, CSC2535 lecture 3b): a feed-forward
 * network whose every hidden unit adds its activity, times a learned scale, to the global energy.
 * With input {@code a_0 = x} and layers {@code l = 1..L},
 * <pre>
 *   a_l = f_l(a_{l-1} W_l + b_l)            (W_l: n_{l-1} x n_l, b_l and s_l: 1 x n_l)
 *   E(x) = sum_l a_l . s_l  +  (lambda / 2) |x|^2
 * </pre>
 * The fixed quadratic term keeps {@code exp(-E)} normalizable whatever the scales learn (the unit
 * functions grow at most linearly). Heavy-tailed "frequently approximately satisfied" constraints are
 * the {@link Activation#LOG1P_SQUARE} units: a violated constraint costs {@code log(1 + z^2)}, so a
 * big violation costs little more than a moderate one.
 *
 * <p>Backpropagation runs on the backend: {@code dE/dx} for HMC and {@code dE/dtheta} for learning,
 * with seeds {@code c s_l} per layer ({@code c} the per-row loss weights) so the same pass serves both.
 */
public final class EnergyNetwork extends ParametricEnergy<EnergyNetwork.Workspace> {
    public static final String KIND = "network";

    /** A hidden layer: its size and unit function. */
    public record Layer(int units, Activation activation) {
        public Layer {
            if (units < 1) {
                throw new IllegalArgumentException("a hidden layer needs >= 1 units, found " + units);
            }
            if (activation == null) {
                throw new IllegalArgumentException("a hidden layer needs an activation");
            }
        }
    }

    private final int visible;
    private final List<Layer> layers;
    private final float visiblePrecision;
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final List<Tensor> scales = new ArrayList<>();

    /**
     * A network with zero parameters (load them, or call {@link #initialize}).
     *
     * @param visible input dimension {@code d}
     * @param layers the hidden layers, input side first
     * @param visiblePrecision {@code lambda >= 0} of the fixed {@code (lambda/2)|x|^2} term
     */
    public EnergyNetwork(Backend backend, int visible, List<Layer> layers, double visiblePrecision) {
        super(backend, visible, KIND);
        if (visible < 1) {
            throw new IllegalArgumentException("visible dimension must be >= 1, found " + visible);
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an energy network needs at least one hidden layer");
        }
        if (!(visiblePrecision >= 0) || !Double.isFinite(visiblePrecision)) {
            throw new IllegalArgumentException("visible precision must be finite and >= 0, found " + visiblePrecision);
        }
        this.visible = visible;
        this.layers = List.copyOf(layers);
        this.visiblePrecision = (float) visiblePrecision;
        int in = visible;
        for (int l = 0; l < layers.size(); l++) {
            int h = layers.get(l).units();
            weights.add(parameter("W" + (l + 1), in, h, true));
            biases.add(parameter("b" + (l + 1), 1, h, false));
            scales.add(parameter("s" + (l + 1), 1, h, false));
            in = h;
        }
    }

    /**
     * Random weights {@code N(0, weightScale^2 / fanIn)} drawn from {@code rng} on the backend, zero
     * biases, and every scale {@code initialScale}.
     */
    public void initialize(RandomStream rng, double weightScale, double initialScale) {
        int in = visible;
        for (int l = 0; l < layers.size(); l++) {
            backend.sampler().fillNormal(weights.get(l), 0f, (float) (weightScale / Math.sqrt(in)), rng);
            backend.fill(biases.get(l), 0f);
            backend.fill(scales.get(l), (float) initialScale);
            in = layers.get(l).units();
        }
    }

    @Override
    void putSettings(Map<String, String> settings) {
        settings.put("visiblePrecision", Float.toString(visiblePrecision));
        settings.put("layers", layerSpec(layers));
    }

    /** The layers as {@link #parseLayers} reads them, e.g. {@code 64:softplus,16:fas}. */
    public static String layerSpec(List<Layer> layers) {
        StringBuilder sb = new StringBuilder();
        for (Layer l : layers) {
            sb.append(sb.length() == 0 ? "" : ",").append(l.units()).append(':').append(l.activation().shortName());
        }
        return sb.toString();
    }

    /** The inverse of {@link #config()}: a network with zero parameters. */
    public static EnergyNetwork fromConfig(Backend backend, Map<String, String> config) {
        int visible = Integer.parseInt(require(config, "visible"));
        double precision = Double.parseDouble(require(config, "visiblePrecision"));
        return new EnergyNetwork(backend, visible, parseLayers(require(config, "layers")), precision);
    }

    /**
     * Parses {@code "64:softplus,32:fas"} (a size, optionally {@code :activation}, default softplus).
     */
    public static List<Layer> parseLayers(String spec) {
        List<Layer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty layer in '" + spec + "'; expected e.g. 64:softplus,32:fas");
            }
            String[] kv = p.split(":");
            int units;
            try {
                units = Integer.parseInt(kv[0].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("layer '" + p + "' in '" + spec
                        + "' must start with a unit count, e.g. 64:softplus");
            }
            Activation a = kv.length > 1 ? Activation.byName(kv[1].trim()) : Activation.SOFTPLUS;
            if (kv.length > 2) {
                throw new IllegalArgumentException("layer '" + p + "' has more than one ':'; expected e.g. 64:fas");
            }
            out.add(new Layer(units, a));
        }
        return out;
    }

    private static String require(Map<String, String> config, String key) {
        String v = config.get(key);
        if (v == null) {
            throw new IllegalArgumentException("energy network settings lack '" + key + "'");
        }
        return v;
    }

    public List<Layer> layers() {
        return layers;
    }

    /**
     * The bytes of the workspace one pass over {@code rows} rows at once allocates: every layer's
     * activations, derivatives and deltas (3 float arrays of {@code rows x units}), saturating.
     */
    public static long workspaceBytes(long rows, List<Layer> layers) {
        long bytes = 0;
        for (Layer layer : layers) {
            bytes = MemoryEstimate.sum(bytes, MemoryEstimate.floats(3, rows, layer.units()));
        }
        return bytes;
    }

    /**
     * Refuses, before any work, training a network of {@code layers} on {@code visible} columns with
     * {@code rows} rows in a pass when its arrays cannot fit in this JVM's heap
     * ({@link MemoryEstimate#require}): the weights with their gradient, momentum and saved copy (4
     * matrices a layer, setting {@code layers}), then the pass's {@link #workspaceBytes} with the rows
     * themselves and their gradient (setting {@code batch_size}).
     *
     * @param rowsWhat what the rows are, for the message: "the 200 rows and their negatives"
     */
    public static void requireTrainingMemory(long visible, List<Layer> layers, long rows, String rowsWhat) {
        List<Integer> widths = layers.stream().map(Layer::units).toList();
        MemoryEstimate.require("layers", MemoryEstimate.layerWeights(4, visible, widths, false), "the weights of the "
                + "layers " + layerSpec(layers) + " with their gradient, momentum and saved copy");
        MemoryEstimate.require("batch_size", MemoryEstimate.sum(MemoryEstimate.floats(2, rows, visible),
                workspaceBytes(rows, layers)), "the activations of " + rowsWhat);
    }

    public double visiblePrecision() {
        return visiblePrecision;
    }

    @Override
    public void parametersChanged() {
        // Nothing is derived from the parameters between calls.
    }

    @Override
    public void energyAndGradient(Tensor q, Tensor energy, Tensor gradient) {
        Workspace ws = checkedWorkspace("EnergyNetwork", q, energy, gradient);
        forward(q, ws, energy != null);
        if (energy != null) {
            energyFromActivities(q, ws, energy);
        }
        if (gradient != null) {
            backward(ws, null);
            if (visiblePrecision != 0f) {
                backend.scale(visiblePrecision, q, gradient);
                backend.gemm(false, true, 1f, ws.delta[0], weights.get(0), 1f, gradient);
            } else {
                backend.gemm(false, true, 1f, ws.delta[0], weights.get(0), 0f, gradient);
            }
        }
    }

    @Override
    public void accumulateParameterGradient(Tensor x, Tensor rowWeights, List<Tensor> grads) {
        String op = "EnergyNetwork.accumulateParameterGradient";
        checkPositions(op, x);
        Shapes.checkShape(op, "rowWeights", rowWeights, x.rows(), 1);
        if (grads.size() != parameters().size()) {
            throw new IllegalArgumentException(op + ": expected " + parameters().size() + " gradient tensors, found "
                    + grads.size());
        }
        Workspace ws = workspace(x.rows());
        forward(x, ws, true);
        backward(ws, rowWeights);
        for (int l = 0; l < layers.size(); l++) {
            Tensor in = l == 0 ? x : ws.act[l - 1];
            backend.gemm(true, false, 1f, in, ws.delta[l], 1f, grads.get(3 * l));
            backend.columnSums(ws.delta[l], 1f, 1f, grads.get(3 * l + 1));
            backend.gemm(true, false, 1f, rowWeights, ws.act[l], 1f, grads.get(3 * l + 2));
        }
    }

    // act[l] = f(z_l) (the top layer's only when its value is wanted), der[l] = f'(z_l).
    private void forward(Tensor x, Workspace ws, boolean topValue) {
        Tensor in = x;
        int last = layers.size() - 1;
        for (int l = 0; l <= last; l++) {
            backend.gemm(false, false, 1f, in, weights.get(l), 0f, ws.act[l]);
            Tensor value = l < last || topValue ? ws.act[l] : null;
            backend.activation(layers.get(l).activation(), ws.act[l], biases.get(l), value, ws.der[l]);
            in = ws.act[l];
        }
    }

    private void energyFromActivities(Tensor x, Workspace ws, Tensor energy) {
        for (int l = 0; l < layers.size(); l++) {
            backend.gemm(false, true, 1f, ws.act[l], scales.get(l), l == 0 ? 0f : 1f, energy);
        }
        if (visiblePrecision != 0f) {
            backend.rowSquaredNorms(x, null, ws.column);
            backend.axpy(0.5f * visiblePrecision, ws.column, energy);
        }
    }

    // delta[l] = dE/dz_l weighted per row by c (ones when c is null).
    private void backward(Workspace ws, Tensor c) {
        Tensor seed = c == null ? ws.ones : c;
        for (int l = layers.size() - 1; l >= 0; l--) {
            backend.gemm(false, false, 1f, seed, scales.get(l), 0f, ws.delta[l]);
            if (l < layers.size() - 1) {
                backend.gemm(false, true, 1f, ws.delta[l + 1], weights.get(l + 1), 1f, ws.delta[l]);
            }
            backend.mul(ws.delta[l], ws.der[l], ws.delta[l]);
        }
    }

    @Override
    Workspace newWorkspace(int rows) {
        return new Workspace(rows);
    }

    final class Workspace implements AutoCloseable {
        final Tensor[] act;
        final Tensor[] der;
        final Tensor[] delta;
        final Tensor ones;
        final Tensor column;

        Workspace(int rows) {
            int n = layers.size();
            act = new Tensor[n];
            der = new Tensor[n];
            delta = new Tensor[n];
            for (int l = 0; l < n; l++) {
                int h = layers.get(l).units();
                act[l] = backend.allocate(rows, h);
                der[l] = backend.allocate(rows, h);
                delta[l] = backend.allocate(rows, h);
            }
            ones = backend.allocate(rows, 1);
            backend.fill(ones, 1f);
            column = backend.allocate(rows, 1);
        }

        @Override
        public void close() {
            Tensor.closeAll(act);
            Tensor.closeAll(der);
            Tensor.closeAll(delta);
            Tensor.closeAll(ones, column);
        }
    }
}
