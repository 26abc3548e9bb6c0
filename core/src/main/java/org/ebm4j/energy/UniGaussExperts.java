package org.ebm4j.energy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Shapes;
import org.ebm4j.tensor.Tensor;

/**
 * A product of "uni-gauss" experts (Hinton, "Training products of experts by minimizing contrastive
 * divergence", 2002): each expert {@code m} is a mixture of a uniform and an axis-aligned Gaussian,
 * {@code p_m(x) ~ (1 - pi_m) u + pi_m N(x; mu_m, diag(1 / lambda_m))}. Up to a constant its energy is
 * {@code -log(1 + exp(z_m))} with
 * <pre>
 *   z_m(x) = c_m - (1/2) sum_i lambda_mi (x_i - mu_mi)^2,     lambda_mi = rho_mi^2
 *   E(x)   = -sum_m softplus(z_m(x)) + (envelope / 2) |x|^2
 * </pre>
 * where {@code c_m} absorbs the mixing proportion, the uniform's density and the Gaussian's normalizer,
 * and the weak Gaussian envelope stands in for the bounded support of the uniforms (so
 * {@code exp(-E)} is normalizable). Parameters: {@code c} ({@code 1 x M}), {@code mu} and {@code rho}
 * ({@code M x d}). Everything runs on the backend: two GEMMs give every {@code z_m}, and the
 * derivatives are GEMM reductions.
 */
public final class UniGaussExperts extends ParametricEnergy<UniGaussExperts.Workspace> {
    public static final String KIND = "unigauss";

    private final int d;
    private final int experts;
    private final float envelope;
    private final Tensor c;
    private final Tensor mu;
    private final Tensor rho;
    // Derived from the parameters by parametersChanged().
    private final Tensor lambda;
    private final Tensor lambdaMu;
    private final Tensor zBias;
    private final Tensor onesD;
    private final Tensor t1;
    private final Tensor t2;
    private final Tensor s1;
    private final Tensor s2;
    private final Tensor s0;
    private final Tensor s0Tiled;

    /** Zero parameters (call {@link #initialize} or load them). */
    public UniGaussExperts(Backend backend, int d, int experts, double envelope) {
        super(backend, d, KIND);
        if (d < 1 || experts < 1) {
            throw new IllegalArgumentException("a product of uni-gauss experts needs dimension >= 1 and >= 1 experts,"
                    + " found " + d + " and " + experts);
        }
        if (!(envelope >= 0) || !Double.isFinite(envelope)) {
            throw new IllegalArgumentException("envelope precision must be finite and >= 0, found " + envelope);
        }
        this.d = d;
        this.experts = experts;
        this.envelope = (float) envelope;
        this.c = parameter("c", 1, experts, false);
        this.mu = parameter("mu", experts, d, false);
        this.rho = parameter("rho", experts, d, false);
        this.lambda = backend.allocate(experts, d);
        this.lambdaMu = backend.allocate(experts, d);
        this.zBias = backend.allocate(1, experts);
        this.onesD = backend.allocate(1, d);
        backend.fill(onesD, 1f);
        this.t1 = backend.allocate(experts, d);
        this.t2 = backend.allocate(experts, d);
        this.s1 = backend.allocate(experts, d);
        this.s2 = backend.allocate(experts, d);
        this.s0 = backend.allocate(1, experts);
        this.s0Tiled = backend.allocate(experts, d);
        parametersChanged();
    }

    /**
     * Hinton's start: circular Gaussians at random places ({@code center + spread * N(0, 1)} per
     * coordinate) with about the data's spread ({@code lambda = 1 / spread^2}), and {@code c = 0}.
     */
    public void initialize(RandomStream rng, float[] center, float spread) {
        if (center.length != d) {
            throw new IllegalArgumentException("center needs " + d + " coordinates, found " + center.length);
        }
        if (!(spread > 0) || !Float.isFinite(spread)) {
            throw new IllegalArgumentException("spread must be finite and > 0, found " + spread);
        }
        backend.sampler().fillNormal(mu, 0f, spread, rng);
        try (Tensor row = backend.fromArray(center, 1, d)) {
            backend.addRowVector(mu, row, 1f, mu);
        }
        backend.fill(rho, 1f / spread);
        backend.fill(c, 0f);
        parametersChanged();
    }

    @Override
    void putSettings(Map<String, String> settings) {
        settings.put("experts", Integer.toString(experts));
        settings.put("envelope", Float.toString(envelope));
    }

    public static UniGaussExperts fromConfig(Backend backend, Map<String, String> config) {
        for (String k : List.of("visible", "experts", "envelope")) {
            if (!config.containsKey(k)) {
                throw new IllegalArgumentException("uni-gauss settings lack '" + k + "'");
            }
        }
        return new UniGaussExperts(backend, Integer.parseInt(config.get("visible")),
                Integer.parseInt(config.get("experts")), Double.parseDouble(config.get("envelope")));
    }

    public int experts() {
        return experts;
    }

    @Override
    public void parametersChanged() {
        backend.mul(rho, rho, lambda);
        backend.mul(lambda, mu, lambdaMu);
        backend.mul(lambdaMu, mu, t1);
        // k_m = sum_i lambda_mi mu_mi^2 as a row: ones(1 x d) * t1^T.
        backend.gemm(false, true, 1f, onesD, t1, 0f, zBias);
        backend.scale(-0.5f, zBias, zBias);
        backend.add(zBias, c, zBias);
    }

    @Override
    public void energyAndGradient(Tensor q, Tensor energy, Tensor gradient) {
        Workspace ws = checkedWorkspace("UniGaussExperts", q, energy, gradient);
        forward(q, ws, energy != null);
        if (energy != null) {
            backend.rowSums(ws.value, energy);
            backend.scale(-1f, energy, energy);
            if (envelope != 0f) {
                backend.rowSquaredNorms(q, null, ws.column);
                backend.axpy(0.5f * envelope, ws.column, energy);
            }
        }
        if (gradient != null) {
            // sum_m sigma_m lambda_m (x - mu_m) = (D Lambda) * x - D (Lambda mu)
            backend.gemm(false, false, 1f, ws.sigma, lambda, 0f, ws.xd);
            backend.mul(ws.xd, q, gradient);
            backend.gemm(false, false, -1f, ws.sigma, lambdaMu, 1f, gradient);
            if (envelope != 0f) {
                backend.axpy(envelope, q, gradient);
            }
        }
    }

    @Override
    public void accumulateParameterGradient(Tensor x, Tensor rowWeights, List<Tensor> grads) {
        String op = "UniGaussExperts.accumulateParameterGradient";
        checkPositions(op, x);
        Shapes.checkShape(op, "rowWeights", rowWeights, x.rows(), 1);
        if (grads.size() != 3) {
            throw new IllegalArgumentException(op + ": expected 3 gradient tensors (c, mu, rho), found " + grads.size());
        }
        Workspace ws = workspace(x.rows());
        forward(x, ws, false);
        // dE/dc = -c^T D
        backend.gemm(true, false, -1f, rowWeights, ws.sigma, 1f, grads.get(0));
        // Row-weighted sums: S0 = c^T D (1 x M), S1 = D^T (c * x), S2 = D^T (c * x^2) (M x d).
        backend.gemm(false, false, 1f, rowWeights, onesD, 0f, ws.xd); // c tiled to n x d
        backend.mul(ws.xd, x, ws.cx);
        backend.gemm(true, false, 1f, ws.sigma, ws.cx, 0f, s1);
        backend.mul(ws.cx, x, ws.cx);
        backend.gemm(true, false, 1f, ws.sigma, ws.cx, 0f, s2);
        backend.gemm(true, false, 1f, rowWeights, ws.sigma, 0f, s0);
        backend.gemm(true, false, 1f, s0, onesD, 0f, s0Tiled); // S0 as a column, tiled to M x d
        // dE/dmu = -lambda * (S1 - S0 mu)
        backend.mul(s0Tiled, mu, t1);
        backend.sub(s1, t1, t1);
        backend.mul(lambda, t1, t1);
        backend.axpy(-1f, t1, grads.get(1));
        // dE/drho = 2 rho * dE/dlambda, dE/dlambda = (S2 - 2 mu S1 + mu^2 S0) / 2
        backend.mul(mu, s1, t2);
        backend.mul(s0Tiled, mu, t1);
        backend.mul(t1, mu, t1);
        backend.axpy(-2f, t2, t1);
        backend.add(t1, s2, t1);
        backend.mul(rho, t1, t1);
        backend.axpy(1f, t1, grads.get(2));
    }

    // value = softplus(z), sigma = sigmoid(z) for every expert.
    private void forward(Tensor x, Workspace ws, boolean wantValue) {
        backend.mul(x, x, ws.xsq);
        backend.gemm(false, true, -0.5f, ws.xsq, lambda, 0f, ws.z);
        backend.gemm(false, true, 1f, x, lambdaMu, 1f, ws.z);
        backend.activation(Activation.SOFTPLUS, ws.z, zBias, wantValue ? ws.value : null, ws.sigma);
    }

    /** {@code c}, {@code mu} and {@code rho} copied to the host, for plots and reports. */
    public Map<String, float[]> hostParameters() {
        Map<String, float[]> m = new LinkedHashMap<>();
        m.put("c", c.toArray());
        m.put("mu", mu.toArray());
        m.put("rho", rho.toArray());
        return Collections.unmodifiableMap(m);
    }

    @Override
    public void close() {
        super.close();
        Tensor.closeAll(lambda, lambdaMu, zBias, onesD, t1, t2, s1, s2, s0, s0Tiled);
    }

    @Override
    Workspace newWorkspace(int rows) {
        return new Workspace(rows);
    }

    final class Workspace implements AutoCloseable {
        final Tensor xsq;
        final Tensor xd;
        final Tensor cx;
        final Tensor z;
        final Tensor value;
        final Tensor sigma;
        final Tensor column;

        Workspace(int rows) {
            xsq = backend.allocate(rows, d);
            xd = backend.allocate(rows, d);
            cx = backend.allocate(rows, d);
            z = backend.allocate(rows, experts);
            value = backend.allocate(rows, experts);
            sigma = backend.allocate(rows, experts);
            column = backend.allocate(rows, 1);
        }

        @Override
        public void close() {
            for (Tensor t : new Tensor[] {xsq, xd, cx, z, value, sigma, column}) {
                t.close();
            }
        }
    }
}
