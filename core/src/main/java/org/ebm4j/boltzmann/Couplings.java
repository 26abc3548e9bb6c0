package org.ebm4j.boltzmann;

import org.ebm4j.io.ModelFile;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.io.SavedModel;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The parameters of a pairwise binary network on a backend: a symmetric {@code n x n} weight
 * matrix {@code W} with a zero diagonal and a {@code 1 x n} bias row {@code b}, defining the energy
 * {@code E(s) = -1/2 s^T W s - b^T s}. Hopfield networks and Boltzmann machines both hold one.
 *
 * <p>Owns its tensors; {@link #close()} releases them.
 */
public final class Couplings implements AutoCloseable {
    /** Relative asymmetry {@link #setWeights} forgives (and removes by averaging): float noise from files. */
    static final double SYMMETRY_TOLERANCE = 1e-5;

    private final Backend backend;
    private final int n;
    private final Tensor weights;
    private final Tensor bias;
    private Tensor offDiagonal;

    /** Zero weights and biases for {@code n} units. */
    public Couplings(Backend backend, int n) {
        if (backend == null) {
            throw new IllegalArgumentException("backend is null");
        }
        if (n < 1) {
            throw new IllegalArgumentException("a network needs at least 1 unit but was given " + n);
        }
        this.backend = backend;
        this.n = n;
        this.weights = backend.allocate(n, n);
        this.bias = backend.allocate(1, n);
    }

    public Backend backend() {
        return backend;
    }

    /** The number of units {@code n}. */
    public int size() {
        return n;
    }

    /** {@code W}, {@code n x n}, symmetric with a zero diagonal; callers that write it keep that true. */
    public Tensor weights() {
        return weights;
    }

    /** {@code b}, {@code 1 x n}. */
    public Tensor bias() {
        return bias;
    }

    /**
     * Sets {@code W} from a row-major {@code n x n} host array. The diagonal must be zero and the
     * matrix symmetric up to a relative {@value #SYMMETRY_TOLERANCE} (which is averaged away);
     * anything else is rejected with the offending entries named.
     */
    public void setWeights(float[] w) {
        if (w == null || w.length != n * n) {
            throw new IllegalArgumentException("weights must hold " + n + "x" + n + " = " + (n * n) + " values but "
                    + (w == null ? "are null" : "hold " + w.length));
        }
        float[] sym = new float[n * n];
        for (int i = 0; i < n; i++) {
            float d = w[i * n + i];
            if (d != 0f) {
                throw new IllegalArgumentException("weights must have a zero diagonal but w[" + i + "][" + i + "] = " + d);
            }
            for (int j = i + 1; j < n; j++) {
                float a = w[i * n + j];
                float c = w[j * n + i];
                if (!Float.isFinite(a) || !Float.isFinite(c)) {
                    throw new IllegalArgumentException("weights must be finite but w[" + i + "][" + j + "] = " + a
                            + " and w[" + j + "][" + i + "] = " + c);
                }
                if (Math.abs(a - c) > SYMMETRY_TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(c)))) {
                    throw new IllegalArgumentException("weights must be symmetric but w[" + i + "][" + j + "] = " + a
                            + " and w[" + j + "][" + i + "] = " + c);
                }
                float m = (float) (0.5 * ((double) a + c));
                sym[i * n + j] = m;
                sym[j * n + i] = m;
            }
        }
        weights.copyFrom(sym);
    }

    /** Sets {@code b} from {@code n} finite host values. */
    public void setBias(float[] b) {
        if (b == null || b.length != n) {
            throw new IllegalArgumentException("bias must hold " + n + " values but "
                    + (b == null ? "is null" : "holds " + b.length));
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(b[i])) {
                throw new IllegalArgumentException("bias must be finite but b[" + i + "] = " + b[i]);
            }
        }
        bias.copyFrom(b);
    }

    public float[] weightsToHost() {
        return weights.toArray();
    }

    public float[] biasToHost() {
        return bias.toArray();
    }

    /** Sets the diagonal of {@code W} (or of any {@code n x n} tensor, such as a gradient) to zero. */
    public void zeroDiagonal(Tensor square) {
        if (offDiagonal == null) {
            float[] mask = new float[n * n];
            java.util.Arrays.fill(mask, 1f);
            for (int i = 0; i < n; i++) {
                mask[i * n + i] = 0f;
            }
            offDiagonal = backend.fromArray(mask, n, n);
        }
        backend.mul(square, offDiagonal, square);
    }

    /**
     * {@code out[r, 0] = E(states[r, :])} for {@code states} {@code chains x n}, {@code out}
     * {@code chains x 1}. Allocates temporaries: for repeated use keep a {@link NetworkChains}.
     */
    public void energies(Tensor states, Tensor out) {
        try (NetworkChains chains = NetworkChains.over(this, states)) {
            chains.energies(out);
        }
    }

    /** Adds {@code W} ({@code n x n}) and {@code b} ({@code 1 x n}) to {@code f} as tensors {@code W} and {@code bias}. */
    public void writeTo(ModelFile f) {
        f.putTensor("W", n, n, weightsToHost());
        f.putTensor("bias", 1, n, biasToHost());
    }

    /** Sets {@code W} and {@code b} from what {@link #writeTo} wrote; {@code source} names the file in errors. */
    public void readFrom(ModelFile f, String source) throws ModelFormatException {
        float[] w = f.tensor("W", n, n, source).data();
        float[] b = f.tensor("bias", 1, n, source).data();
        try {
            setWeights(w);
            setBias(b);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage());
        }
    }

    /**
     * The model file of a network that these couplings parameterize: {@code model = kind}, then the
     * {@code header} entries (alternating key and value, in that order), then {@code provenance}, then
     * the tensors of {@link #writeTo}. Boltzmann machines and Hopfield networks are both saved this way.
     */
    public ModelFile toModelFile(String kind, Provenance provenance, String... header) {
        if (header.length % 2 != 0) {
            throw new IllegalArgumentException("header entries come as key, value pairs, found " + header.length
                    + " strings");
        }
        ModelFile f = new ModelFile();
        f.putMetadata("model", kind);
        for (int i = 0; i < header.length; i += 2) {
            f.putMetadata(header[i], header[i + 1]);
        }
        f.putMetadata(provenance.toMetadata());
        writeTo(f);
        return f;
    }

    /**
     * {@link #readFrom} for a freshly built {@code model} that owns these couplings: a bad file closes
     * {@code model} (so a failed load leaks no tensors) before the error goes on.
     */
    public <M extends SavedModel> M readInto(M model, ModelFile f, String source) throws ModelFormatException {
        try {
            readFrom(f, source);
        } catch (ModelFormatException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /** A host snapshot in double precision, for exact enumeration and checks. */
    public double[] weightsAsDoubles() {
        return widened(weightsToHost());
    }

    public double[] biasAsDoubles() {
        return widened(biasToHost());
    }

    private static double[] widened(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    @Override
    public void close() {
        Tensor.closeAll(weights, bias, offDiagonal);
    }
}
