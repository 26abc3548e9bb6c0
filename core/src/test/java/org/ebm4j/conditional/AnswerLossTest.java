package org.ebm4j.conditional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ebm4j.energy.loss.ContrastiveLosses;
import org.ebm4j.random.Philox;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.junit.jupiter.api.Test;

class AnswerLossTest {
    private static final int K = 5;
    private static final int N = 40;
    private static final int SAMPLES = 3;
    private static final double SAMPLING_BETA = 1.5;
    private static final double NLL_BETA = 0.8;

    /**
     * The documented draws: per example one draw of the stream, sample s uses uniform (i S + s) of it times
     * z, the total weight exp(-beta (F - min)) of the incorrect answers, and takes the first incorrect answer
     * whose cumulative weight exceeds it (the last incorrect one if rounding leaves none).
     */
    private static int[][] draws(double[] f, int[] labels, RandomStream rng) {
        int[][] out = new int[N][SAMPLES];
        for (int i = 0; i < N; i++) {
            double low = Double.POSITIVE_INFINITY;
            for (int a = 0; a < K; a++) {
                low = a == labels[i] ? low : Math.min(low, f[i * K + a]);
            }
            double[] w = new double[K];
            double z = 0;
            for (int a = 0; a < K; a++) {
                w[a] = a == labels[i] ? 0 : Math.exp(-SAMPLING_BETA * (f[i * K + a] - low));
                z += w[a];
            }
            long draw = rng.nextDraw();
            for (int s = 0; s < SAMPLES; s++) {
                double u = Philox.uniform(rng.seed(), rng.streamId(), draw, (long) i * SAMPLES + s) * z;
                int pick = -1;
                double c = 0;
                for (int a = 0; a < K && pick < 0; a++) {
                    c += w[a];
                    if (a != labels[i] && c > u) {
                        pick = a;
                    }
                }
                out[i][s] = pick >= 0 ? pick : labels[i] == K - 1 ? K - 2 : K - 1;
            }
        }
        return out;
    }

    /**
     * With the NLL over the sampled answers, L_i = F_y + (1/b) log(exp(-b F_y) + sum_s exp(-b F_{a_s})), every
     * sample shows in the derivative: dL/dF_a = -(count of a) exp(-b F_a) / S_i, dL/dF_y = 1 - exp(-b F_y) / S_i.
     * So the derivatives pin the sampled answers, their multiplicity and their order of draws.
     */
    @Test
    void sampledAnswersFollowTheDocumentedInversionDrawForDraw() {
        SplittableRandom r = new SplittableRandom(3);
        double[] f = new double[N * K];
        int[] labels = new int[N];
        for (int i = 0; i < f.length; i++) {
            f[i] = r.nextDouble(-1.5, 1.5);
        }
        for (int i = 0; i < N; i++) {
            labels[i] = r.nextInt(K);
        }
        AnswerLoss loss = AnswerLoss.sampled(ContrastiveLosses.byName("nll", 0, NLL_BETA), AnswerMargin.NONE, SAMPLES,
                SAMPLING_BETA);
        assertTrue(loss.sampled());
        double[] grad = new double[N * K];
        java.util.Arrays.fill(grad, Double.NaN);
        double total = loss.evaluate(f, labels, K, grad, StreamId.CONDITIONAL_SAMPLING.open(21));
        int[][] which = draws(f, labels, StreamId.CONDITIONAL_SAMPLING.open(21));
        double want = 0;
        double[] wantGrad = new double[N * K];
        int distinct = 0;
        for (int i = 0; i < N; i++) {
            double ep = f[i * K + labels[i]];
            double sum = Math.exp(-NLL_BETA * ep);
            for (int a : which[i]) {
                sum += Math.exp(-NLL_BETA * f[i * K + a]);
            }
            want += ep + Math.log(sum) / NLL_BETA;
            wantGrad[i * K + labels[i]] = 1 - Math.exp(-NLL_BETA * ep) / sum;
            for (int a : which[i]) {
                assertTrue(a != labels[i], "a sample is never the correct answer");
                wantGrad[i * K + a] -= Math.exp(-NLL_BETA * f[i * K + a]) / sum;
            }
            distinct += which[i][0] != which[i][1] || which[i][1] != which[i][2] ? 1 : 0;
        }
        assertTrue(distinct > N / 2, "the draws vary within an example");
        assertEquals(want, total, 1e-9);
        assertArrayEquals(wantGrad, grad, 1e-9);
    }

    @Test
    void exhaustiveAnswersTakeEveryIncorrectOneAndTheMostOffendingBreaksTiesLow() {
        AnswerLoss loss = AnswerLoss.exhaustive(ContrastiveLosses.byName("nll", 0, 1), AnswerMargin.NONE);
        assertFalse(loss.sampled());
        assertEquals("nll", loss.loss().name());
        double[] f = {0.5, -1, 2};
        double[] grad = new double[3];
        double s = Math.exp(-0.5) + Math.exp(1) + Math.exp(-2);
        assertEquals(0.5 + Math.log(s), loss.evaluate(f, new int[] {0}, 3, grad, null), 1e-12);
        assertArrayEquals(new double[] {1 - Math.exp(-0.5) / s, -Math.exp(1) / s, -Math.exp(-2) / s}, grad, 1e-12);
        // answers 1 and 3 tie at the lowest energy: the lower one is the most offending
        assertArrayEquals(new int[] {1, 0}, AnswerLoss.mostOffending(new double[] {0, -1, 3, -1, 2, 2, 5, 7},
                new int[] {2, 3}, 4, AnswerMargin.NONE));
    }

    @Test
    void badArgumentsAreRefusedWithWhatWasFound() {
        var nll = ContrastiveLosses.byName("nll", 0, 1);
        assertEquals("sampled contrastive answers need >= 1 sample, found 0", assertThrows(IllegalArgumentException.class,
                () -> AnswerLoss.sampled(nll, AnswerMargin.NONE, 0, 1)).getMessage());
        assertEquals("sampling beta must be finite and > 0, found 0.0", assertThrows(IllegalArgumentException.class,
                () -> AnswerLoss.sampled(nll, AnswerMargin.NONE, 1, 0)).getMessage());
        AnswerLoss one = AnswerLoss.sampled(nll, AnswerMargin.NONE, 1, 1);
        assertEquals("sampled contrastive answers need a random stream", assertThrows(IllegalArgumentException.class,
                () -> one.evaluate(new double[3], new int[] {0}, 3, new double[3], null)).getMessage());
        AnswerLoss all = AnswerLoss.exhaustive(nll, AnswerMargin.NONE);
        assertEquals("nll loss: 2 labels with 3 answers need 6 energies and derivatives, found 5 and 6", assertThrows(
                IllegalArgumentException.class, () -> all.evaluate(new double[5], new int[2], 3, new double[6], null))
                .getMessage());
        assertEquals("nll loss: 2 labels with 3 answers need 6 energies and derivatives, found 6 and 5", assertThrows(
                IllegalArgumentException.class, () -> all.evaluate(new double[6], new int[2], 3, new double[5], null))
                .getMessage());
        for (int bad : new int[] {-1, 3}) {
            assertEquals("label " + bad + " of example 1 is outside 0..2", assertThrows(IllegalArgumentException.class,
                    () -> all.evaluate(new double[6], new int[] {0, bad}, 3, new double[6], null)).getMessage());
        }
    }
}
