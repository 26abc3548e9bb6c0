package org.ebm4j.energy;

import static org.ebm4j.testing.HostArrays.toDouble;
import static org.ebm4j.testing.HostArrays.toFloat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.ebm4j.random.RandomStream;
import org.ebm4j.random.StreamId;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.PlainSoftplusNetwork;
import org.ebm4j.train.EventLog;
import org.ebm4j.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whole runs of {@link EnergyTrainer} replayed update by update against references written out here: which
 * rows each minibatch and each negative's chain start from (the epoch orders drawn from an independent
 * {@link StreamId#ENERGY_SHUFFLE} stream), the momentum step of the contrastive objective on every parameter
 * (energies and their derivatives from {@link PlainSoftplusNetwork}), the reported energies, loss and
 * acceptance, the step-size adaptation, and the epoch's metrics and listener calls.
 *
 * <p>The negatives' leapfrog step is tiny (1e-4, one step per trajectory), so a negative ends within
 * {@code 2 * 1e-4 * |p| < 2e-3} of where its chain started (|p| below 5 for every draw of a few dozen normals
 * with overwhelming probability): close enough to name the data row it started from, since the data rows lie
 * more than 0.01 apart (checked). The HMC moves themselves are {@code HmcChains}' business; here the negatives
 * the trainer used are read back and taken as given.
 */
@ExtendWith(NoLeakedTensors.class)
class EnergyTrainerStepTest {
    private static final int D = 2;
    private static final int ROWS = 12;
    private static final int BATCH = 4;
    private static final int K = 2;
    private static final double LR = 0.05;
    private static final double MOMENTUM = 0.5;
    private static final double DECAY = 0.01;
    private static final double TARGET = 0.6;
    private static final long SEED = 43;
    private static final PlainSoftplusNetwork PLAIN = new PlainSoftplusNetwork(D, 3, 0.2);

    /** What one update left behind, read in the step listener. */
    record Seen(TrainingStep step, float[][] parameters, float[] negatives, double[] potentials) {
    }

    private static EnergyOptions.Builder tinySteps() {
        return EnergyOptions.builder().learningRate(LR).momentum(MOMENTUM).weightDecay(DECAY).batchSize(BATCH)
                .negativesPerExample(K).trajectories(2).leapfrogSteps(1).stepSize(1e-4).adaptStepSize(true)
                .targetAccept(TARGET).seed(SEED);
    }

    private static double[] data() {
        double[] x = PlainSoftplusNetwork.uniform(new SplittableRandom(41), ROWS * D);
        for (int a = 0; a < ROWS; a++) {
            for (int b = a + 1; b < ROWS; b++) {
                assertTrue(distance(x, a, new double[] {x[b * D], x[b * D + 1]}) > 0.01, "rows " + a + ", " + b);
            }
        }
        return x;
    }

    private static double distance(double[] x, int row, double[] u) {
        return Math.hypot(x[row * D] - u[0], x[row * D + 1] - u[1]);
    }

    /** The data row nearest to {@code u}, which must lie within 2e-3 of it. */
    private static int rowNear(double[] x, double[] u) {
        int best = 0;
        for (int r = 1; r < ROWS; r++) {
            if (distance(x, r, u) < distance(x, best, u)) {
                best = r;
            }
        }
        assertTrue(distance(x, best, u) < 2e-3, "a negative " + distance(x, best, u) + " away from every data row");
        return best;
    }

    private static double[] row(float[] a, int r) {
        return new double[] {a[r * D], a[r * D + 1]};
    }


    private static float[][] parametersOf(EnergyNetwork net) {
        List<Tensor> ps = net.parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ps.get(i).toArray();
        }
        return out;
    }

    private static void listen(EnergyTrainer trainer, EnergyNetwork net, List<Seen> seen) {
        trainer.onStep(s -> seen.add(new Seen(s, parametersOf(net), trainer.chains().positions().toArray(),
                trainer.chains().potentials())));
    }

    /**
     * The updates of a whole run of {@code o} on {@link #data()} from {@code network}'s parameters of seed 37;
     * {@code trained} then checks the trainer before it is closed.
     */
    private static List<Seen> trainFully(PlainSoftplusNetwork network, EnergyOptions o,
                                         Consumer<EnergyTrainer> trained) {
        Backend b = new ReferenceBackend();
        List<Seen> seen = new ArrayList<>();
        try (EnergyNetwork net = network.network(b, network.randomParameters(37));
             Tensor t = b.fromArray(toFloat(data()), ROWS, D);
             EnergyTrainer trainer = new EnergyTrainer(net, t, o)) {
            listen(trainer, net, seen);
            trainer.train(List.of());
            trained.accept(trainer);
        }
        return seen;
    }

    /**
     * Five planned CD updates with two negatives per row (three in the first epoch of 12 rows in batches of 4,
     * two in the second), then a third epoch trained by hand after the rate was halved: every update's batch,
     * negatives, report and parameters, and the listeners' view of the epochs.
     */
    @Test
    void everyUpdateOfACdRunEqualsItsReplay() {
        double[] x = data();
        double[][] theta = PLAIN.randomParameters(37);
        EnergyOptions o = tinySteps().negatives(NegativeSampling.CD).updates(5).build();
        Backend b = new ReferenceBackend();
        List<Seen> seen = new ArrayList<>();
        EventLog progress = new EventLog();
        Map<String, Double> lastEpoch;
        double finalStep;
        try (EnergyNetwork net = PLAIN.network(b, theta);
             Tensor t = b.fromArray(toFloat(x), ROWS, D);
             EnergyTrainer trainer = new EnergyTrainer(net, t, o)) {
            assertSame(net, trainer.model());
            assertSame(o, trainer.options());
            assertEquals(3, trainer.batchesPerEpoch());
            assertEquals(1e-4, trainer.stepSize());
            listen(trainer, net, seen);
            trainer.train(List.of(progress));
            assertEquals(5, trainer.iteration());
            // Beyond the planned updates an epoch trained by hand is a full pass, at the halved rate.
            trainer.halveRate();
            trainer.trainEpoch(List.of(progress));
            assertEquals(8, trainer.iteration());
            lastEpoch = trainer.epochMetrics();
            finalStep = trainer.stepSize();
        }
        // 5 updates of 3 batches are 2 epochs, the second cut short; the third is the one trained by hand.
        assertEquals(List.of("start 1/2 x3", "1.1/3", "1.2/3", "1.3/3", "end 1 lr " + (float) LR, "2.1/3", "2.2/3",
                "end 2 lr " + (float) LR, "done", "3.1/3", "3.2/3", "3.3/3", "end 3 lr " + (float) (LR / 2)),
                progress.events());
        assertEquals(8, seen.size());

        RandomStream shuffle = StreamId.ENERGY_SHUFFLE.open(SEED);
        shuffle.permutation(ROWS); // the persistent chains' starts, drawn (and not used) by CD too
        int[] order = null;
        double[][] velocity = new double[theta.length][];
        for (int p = 0; p < theta.length; p++) {
            velocity[p] = new double[theta[p].length];
        }
        double step = 1e-4;
        for (int u = 0; u < seen.size(); u++) {
            int epoch = u < 3 ? 0 : u < 5 ? 1 : 2;
            int inEpoch = u < 3 ? u : u < 5 ? u - 3 : u - 5;
            if (inEpoch == 0) {
                order = shuffle.permutation(ROWS);
            }
            double rate = epoch == 2 ? LR / 2 : LR;
            Seen s = seen.get(u);
            String at = "update " + u;
            assertEquals(u, s.step().iteration(), at);
            assertEquals(step, s.step().stepSize(), 1e-15 * step, at + ": the step size it used");

            int[] rows = new int[BATCH];
            for (int r = 0; r < BATCH; r++) {
                rows[r] = order[inEpoch * BATCH + r];
            }
            assertEquals(BATCH * K * D, s.negatives().length, at);
            for (int i = 0; i < BATCH * K; i++) {
                assertEquals(rows[i / K], rowNear(x, row(s.negatives(), i)),
                        at + ": CD negative " + i + " starts at its example's row");
            }

            double[][] before = u == 0 ? theta : toDouble(seen.get(u - 1).parameters());
            double dataMean = 0;
            for (int r : rows) {
                dataMean += PLAIN.energy(before, row(toFloat(x), r)) / BATCH;
            }
            double negativeMean = 0;
            for (int i = 0; i < BATCH * K; i++) {
                negativeMean += PLAIN.energy(before, row(s.negatives(), i)) / (BATCH * K);
            }
            // Energies of order 1 evaluated in float: 1e-5 covers the rounding of a few dozen terms.
            assertEquals(dataMean, s.step().dataEnergy(), 1e-5, at + ": mean data energy");
            assertEquals(negativeMean, s.step().negativeEnergy(), 1e-5, at + ": mean negative energy");
            assertEquals(dataMean - negativeMean, s.step().loss(), 1e-5, at + ": the ml loss, a batch mean");
            // Steps of 1e-4 leave the energy almost unchanged: an error of order 1e-8 accepts nearly surely.
            assertEquals(1.0, s.step().acceptance(), 1e-3, at + ": mean acceptance over two trajectories");
            assertEquals(0, s.step().divergent(), at);

            // J = mean data energy - mean negative energy (+ the decay's penalty); v = m v - rate dJ; theta += v.
            float[] negatives = s.negatives();
            ToDoubleFunction<double[][]> objective = th -> {
                double j = 0;
                for (int r : rows) {
                    j += PLAIN.energy(th, row(toFloat(x), r)) / BATCH;
                }
                for (int i = 0; i < BATCH * K; i++) {
                    j -= PLAIN.energy(th, row(negatives, i)) / (BATCH * K);
                }
                return j + PlainSoftplusNetwork.weightPenalty(th, DECAY);
            };
            double[][] descent = PlainSoftplusNetwork.gradientStep(before, objective, 1);
            double[][] expected = new double[before.length][];
            for (int p = 0; p < before.length; p++) {
                expected[p] = new double[before[p].length];
                for (int i = 0; i < before[p].length; i++) {
                    double gradient = before[p][i] - descent[p][i];
                    velocity[p][i] = MOMENTUM * velocity[p][i] - rate * gradient;
                    expected[p][i] = before[p][i] + velocity[p][i];
                }
                // Parameters of order 1 in float (6e-8 each) with a velocity carried over up to 8 updates.
                assertArrayEquals(toFloat(expected[p]), s.parameters()[p], 2e-6f,
                        at + ": parameter " + p);
            }
            // The chains' energies, read after the update, are those of the updated model.
            for (int i = 0; i < BATCH * K; i++) {
                assertEquals(PLAIN.energy(toDouble(s.parameters()), row(negatives, i)), s.potentials()[i], 1e-5,
                        at + ": potential " + i);
            }
            step *= Math.exp(0.05 * (s.step().acceptance() - TARGET) / Math.max(TARGET, 1 - TARGET));
        }
        assertEquals(step, finalStep, 1e-15 * step, "the step size after the last update");
        assertTrue(finalStep > 1.2e-4, "8 updates at acceptance 1 grow the step by exp(0.4 / 0.6 / 8) each: " + finalStep);

        // The hand-trained epoch's report: means over its three updates, the divergences' sum, the next step.
        List<TrainingStep> last = List.of(seen.get(5).step(), seen.get(6).step(), seen.get(7).step());
        assertEquals(List.of("loss", "data_energy", "negative_energy", "acceptance", "divergent", "step_size"),
                List.copyOf(lastEpoch.keySet()));
        assertEquals(last.stream().mapToDouble(TrainingStep::loss).sum() / 3, lastEpoch.get("loss"), 1e-12);
        assertEquals(last.stream().mapToDouble(TrainingStep::dataEnergy).sum() / 3, lastEpoch.get("data_energy"), 1e-12);
        assertEquals(last.stream().mapToDouble(TrainingStep::negativeEnergy).sum() / 3,
                lastEpoch.get("negative_energy"), 1e-12);
        assertEquals(last.stream().mapToDouble(TrainingStep::acceptance).sum() / 3, lastEpoch.get("acceptance"), 1e-12);
        assertEquals(0.0, lastEpoch.get("divergent"));
        assertEquals(finalStep, lastEpoch.get("step_size"));
    }

    /**
     * Persistent chains start at the rows of the stream's first permutation, each row's chain repeated for its
     * {@code k} negatives; with missing entries those rows start with the column's observed mean in their gaps.
     */
    @Test
    void persistentChainsStartAtTheFirstPermutationsRows() {
        double[] x = data();
        double[][] theta = PLAIN.randomParameters(37);
        EnergyOptions o = tinySteps().negatives(NegativeSampling.PERSISTENT).updates(1).build();
        int[] start = StreamId.ENERGY_SHUFFLE.open(SEED).permutation(ROWS);
        Backend b = new ReferenceBackend();
        for (boolean withMissing : new boolean[] {false, true}) {
            float[] values = toFloat(x);
            double[] filled = x.clone();
            if (withMissing) {
                // Row start[0]'s second entry is missing: its chains start at the mean of column 1's other rows.
                int gap = start[0] * D + 1;
                values[gap] = Float.NaN;
                double mean = 0;
                for (int r = 0; r < ROWS; r++) {
                    mean += r == start[0] ? 0 : values[r * D + 1] / (double) (ROWS - 1);
                }
                filled[gap] = (float) mean;
            }
            List<Seen> seen = new ArrayList<>();
            try (EnergyNetwork net = PLAIN.network(b, theta);
                 Tensor t = b.fromArray(values, ROWS, D);
                 EnergyTrainer trainer = new EnergyTrainer(net, t, o)) {
                listen(trainer, net, seen);
                trainer.train(List.of());
            }
            float[] negatives = seen.get(0).negatives();
            for (int i = 0; i < BATCH * K; i++) {
                double[] u = row(negatives, i);
                assertTrue(Math.hypot(u[0] - filled[start[i / K] * D], u[1] - filled[start[i / K] * D + 1]) < 2e-3,
                        (withMissing ? "with a gap: " : "") + "negative " + i + " at " + u[0] + ", " + u[1]);
            }
        }
    }

    /**
     * A state taken after an epoch puts back the chains, the step size and the update count when restored
     * after more training (with two negatives per row, so the chains' array is {@code batch * k} rows).
     */
    @Test
    void aRestoredStateRewindsTheChainsStepSizeAndUpdateCount() {
        double[] x = data();
        EnergyOptions o = tinySteps().negatives(NegativeSampling.PERSISTENT).updates(6).build();
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = PLAIN.network(b, PLAIN.randomParameters(37));
             Tensor t = b.fromArray(toFloat(x), ROWS, D);
             EnergyTrainer trainer = new EnergyTrainer(net, t, o)) {
            trainer.trainEpoch(List.of());
            TrainingState state = trainer.state();
            float[] chains = trainer.chains().positions().toArray();
            double step = trainer.stepSize();
            assertEquals(BATCH * K * D, chains.length);
            trainer.trainEpoch(List.of());
            assertEquals(6, trainer.iteration());
            assertTrue(trainer.stepSize() != step, "the second epoch moved the step size");
            trainer.restore(state);
            assertEquals(3, trainer.iteration());
            assertEquals(step, trainer.stepSize());
            assertArrayEquals(chains, trainer.chains().positions().toArray());
        }
    }

    /** Without adaptation the step size stays where the options put it. */
    @Test
    void withoutAdaptationTheStepSizeStays() {
        EnergyOptions o = tinySteps().adaptStepSize(false).updates(3).build();
        List<Seen> seen = trainFully(PLAIN, o, trainer -> assertEquals(1e-4, trainer.stepSize()));
        assertEquals(3, seen.size());
        for (Seen s : seen) {
            assertEquals(1e-4, s.step().stepSize());
        }
    }

    /**
     * The trial first update (which {@code TrainingRun} takes before a fresh run) uses the rate as halved so
     * far: from momentum 0 one update moves the parameters by {@code rate * g}, half as far as at the full rate.
     */
    @Test
    void theFirstUpdateTakesTheHalvedRate() {
        double[] moved = new double[2];
        for (int halved = 0; halved < 2; halved++) {
            Backend b = new ReferenceBackend();
            double[][] theta = PLAIN.randomParameters(37);
            try (EnergyNetwork net = PLAIN.network(b, theta);
                 Tensor t = b.fromArray(toFloat(data()), ROWS, D);
                 EnergyTrainer trainer = new EnergyTrainer(net, t, tinySteps().updates(3).build())) {
                if (halved == 1) {
                    trainer.halveRate();
                }
                assertTrue(trainer.firstUpdate());
                assertEquals(1, trainer.iteration());
                float[][] after = parametersOf(net);
                for (int p = 0; p < theta.length; p++) {
                    for (int i = 0; i < theta[p].length; i++) {
                        moved[halved] += Math.abs(after[p][i] - (float) theta[p][i]);
                    }
                }
            }
        }
        assertTrue(moved[0] > 1e-3, "the full-rate update moved " + moved[0]);
        // The same batch and negatives (same streams): only the rate differs; float rounding 1e-7 per entry.
        assertEquals(moved[0] / 2, moved[1], 1e-5);
    }

    /** Data whose width differs from the model's is refused by name before anything is allocated. */
    @Test
    void dataOfAnotherWidthIsRefused() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = PLAIN.network(b, PLAIN.randomParameters(37)); Tensor t = b.allocate(ROWS, 3)) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new EnergyTrainer(net, t, tinySteps().build()));
            assertEquals("EnergyTrainer: positions must have 2 columns (the energy's dimension) but are 12x3",
                    e.getMessage());
        }
    }

    /**
     * Trajectories of ten leapfrog steps of size 1 in an energy with curvature 50 (about 7 times the stable
     * step) blow up from every start: each of the 8 chains diverges in each of the 2 trajectories of an update,
     * and is rejected, so every update counts 16 divergent trajectories and the epoch reports their sum.
     */
    @Test
    void divergentTrajectoriesAreCountedPerUpdateAndSummedPerEpoch() {
        PlainSoftplusNetwork steep = new PlainSoftplusNetwork(D, 3, 50);
        EnergyOptions o = tinySteps().stepSize(1).leapfrogSteps(10).adaptStepSize(false).updates(3).build();
        List<Seen> seen = trainFully(steep, o,
                trainer -> assertEquals(3.0 * 2 * BATCH * K, trainer.epochMetrics().get("divergent")));
        assertEquals(3, seen.size());
        for (Seen s : seen) {
            assertEquals(2 * BATCH * K, s.step().divergent(), "update " + s.step().iteration());
            assertEquals(0.0, s.step().acceptance(), 1e-12);
        }
    }

    /**
     * An update that diverges ends its epoch with a non-finite loss, the updates before it still reported: the
     * sign rule at rate 1e30 sets every parameter to about 1e30 in the first update, whose own loss is finite,
     * and the second update's chains then sit where the energy overflows.
     */
    @Test
    void aDivergedUpdateEndsTheEpochWithANonFiniteLoss() {
        EnergyOptions o = tinySteps().update(EnergyOptions.Update.SIGN).momentum(0).learningRate(1e30).updates(3)
                .build();
        Backend b = new ReferenceBackend();
        List<TrainingStep> seen = new ArrayList<>();
        try (EnergyNetwork net = PLAIN.network(b, PLAIN.randomParameters(37));
             Tensor t = b.fromArray(toFloat(data()), ROWS, D);
             EnergyTrainer trainer = new EnergyTrainer(net, t, o)) {
            trainer.onStep(seen::add);
            trainer.trainEpoch(List.of());
            assertEquals(1, seen.size(), "the epoch ended at its second update");
            assertTrue(Double.isFinite(seen.get(0).loss()));
            Map<String, Double> m = trainer.epochMetrics();
            assertTrue(Double.isNaN(m.get("loss")), "loss " + m.get("loss"));
            assertEquals(seen.get(0).dataEnergy(), m.get("data_energy"), 1e-12, "the one update that was taken");
        }
    }
}
