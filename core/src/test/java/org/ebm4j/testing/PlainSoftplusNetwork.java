package org.ebm4j.testing;

import static org.ebm4j.testing.HostArrays.toFloat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The reference of one-step trainer tests: an {@link EnergyNetwork} of one softplus layer written out in
 * plain doubles from its definition, {@code E(u) = sum_j s_j softplus(u . W_j + b_j) + (lambda / 2) |u|^2},
 * and the plain gradient step {@code theta - lr dJ/dtheta} of any objective {@code J} of the parameters,
 * the derivative taken by central differences (so the reference shares no backpropagation with the
 * library), for {@code inputs} columns, {@code hidden} units and visible precision {@code lambda}. The
 * parameters are {@code theta[0] = W} ({@code inputs x hidden}, row-major), {@code theta[1] = b},
 * {@code theta[2] = s}, then any further arrays a trainer learns beside the network (a pairwise table).
 */
public record PlainSoftplusNetwork(int inputs, int hidden, double lambda) {
    /**
     * Central-difference step: the truncation error {@code h^2 J''' / 6} and the rounding error
     * {@code 1e-16 |J| / h} are both about {@code 1e-11} for objectives of order 1 with smooth pieces.
     */
    private static final double H = 1e-5;

    /** Weights uniform in {@code [-1, 1]}, biases in {@code [-0.5, 0.5]}, positive scales in {@code [0.5, 1.5]}. */
    public double[][] randomParameters(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] theta = {uniform(r, inputs * hidden), new double[hidden], new double[hidden]};
        for (int j = 0; j < hidden; j++) {
            theta[1][j] = (float) (r.nextDouble() - 0.5);
            theta[2][j] = (float) (0.5 + r.nextDouble());
        }
        return theta;
    }

    /** {@code n} values uniform in {@code [-1, 1]}, rounded to float so the library holds them exactly. */
    public static double[] uniform(SplittableRandom r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (2 * r.nextDouble() - 1);
        }
        return a;
    }

    /** A library network holding {@code theta}'s first three arrays (rounded to float). */
    public EnergyNetwork network(Backend b, double[][] theta) {
        EnergyNetwork net = new EnergyNetwork(b, inputs, List.of(new EnergyNetwork.Layer(hidden, Activation.SOFTPLUS)),
                lambda);
        for (int i = 0; i < 3; i++) {
            net.parameters().get(i).copyFrom(toFloat(theta[i]));
        }
        net.parametersChanged();
        return net;
    }

    /** {@code E(u)} from the definition. */
    public double energy(double[][] theta, double[] u) {
        double e = 0;
        for (int j = 0; j < hidden; j++) {
            double a = theta[1][j];
            for (int i = 0; i < inputs; i++) {
                a += u[i] * theta[0][i * hidden + j];
            }
            e += theta[2][j] * Math.log1p(Math.exp(a));
        }
        for (double v : u) {
            e += lambda / 2 * v * v;
        }
        return e;
    }

    /** The L2 penalty {@code (decay / 2) |W|^2} on the weights only (biases and scales take no decay). */
    public static double weightPenalty(double[][] theta, double decay) {
        double s = 0;
        for (double w : theta[0]) {
            s += w * w;
        }
        return decay / 2 * s;
    }

    /** {@code theta - lr dJ/dtheta}, the derivative by central differences. */
    public static double[][] gradientStep(double[][] theta, ToDoubleFunction<double[][]> objective, double lr) {
        double[][] out = new double[theta.length][];
        for (int p = 0; p < theta.length; p++) {
            out[p] = theta[p].clone();
            for (int i = 0; i < theta[p].length; i++) {
                double keep = theta[p][i];
                theta[p][i] = keep + H;
                double up = objective.applyAsDouble(theta);
                theta[p][i] = keep - H;
                double down = objective.applyAsDouble(theta);
                theta[p][i] = keep;
                out[p][i] -= lr * (up - down) / (2 * H);
            }
        }
        return out;
    }

    /**
     * Fails unless the loss alone moves some parameter by more than 1e-3 at unit rate: a test of a step
     * where the loss happens to be flat would check the weight decay only.
     */
    public static void assertLossHasGradient(double[][] theta, ToDoubleFunction<double[][]> loss, String what) {
        double[][] moved = gradientStep(theta, loss, 1);
        double m = 0;
        for (int p = 0; p < theta.length; p++) {
            for (int i = 0; i < theta[p].length; i++) {
                m = Math.max(m, Math.abs(moved[p][i] - theta[p][i]));
            }
        }
        assertTrue(m > 1e-3, what + " has no gradient at this batch (largest change " + m + ")");
    }

    /** Every parameter tensor equals its expected array within {@code tolerance}, element by element. */
    public static void assertParameters(double[][] expected, List<Tensor> got, List<String> names, double tolerance) {
        for (int p = 0; p < expected.length; p++) {
            assertArrayEquals(toFloat(expected[p]), got.get(p).toArray(), (float) tolerance, names.get(p));
        }
    }
}
