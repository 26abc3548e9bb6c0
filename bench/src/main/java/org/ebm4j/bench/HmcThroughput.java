package org.ebm4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.hmc.HmcChains;
import org.ebm4j.hmc.TrajectoryStats;
import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.SettingChecks;

/**
 * End-to-end HMC throughput on an energy network with one deterministic hidden layer (default
 * 784-500, the shape): {@code chains} chains, {@code steps} leapfrog steps per trajectory,
 * fixed step size; reports trajectories per second (chains x transitions / wall time), gradient
 * evaluations per second, and the share of the time spent in GEMM (every backend call is timed
 * through {@link OpTimer}).
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp ... org.ebm4j.bench.HmcThroughput \
 *       [--backend cpu] [--chains 1000] [--visible 784] [--hidden 500] [--steps 20] \
 *       [--transitions 10] [--warmup 2] [--activation softplus|fas]
 * </pre>
 */
public final class HmcThroughput {
    private HmcThroughput() {
    }

    public static void main(String[] args) {
        BenchArgs a = new BenchArgs(args);
        String backendName = a.get("backend", "auto");
        int chains = SettingChecks.atLeast("--chains", a.getInt("chains", 1000), 1);
        int visible = SettingChecks.atLeast("--visible", a.getInt("visible", 784), 1);
        int hidden = SettingChecks.atLeast("--hidden", a.getInt("hidden", 500), 1);
        int steps = SettingChecks.atLeast("--steps", a.getInt("steps", 20), 1);
        int transitions = SettingChecks.atLeast("--transitions", a.getInt("transitions", 10), 1);
        int warmup = SettingChecks.atLeast("--warmup", a.getInt("warmup", 2), 0);
        Activation activation = Activation.byName(a.get("activation", "softplus"));
        OpTimer timer = new OpTimer();
        try (Backend real = Backends.select(backendName).backend()) {
            Backend backend = timer.wrap(real);
            try (EnergyNetwork net = new EnergyNetwork(backend, visible,
                    List.of(new EnergyNetwork.Layer(hidden, activation)), 1.0);
                 Tensor init = backend.allocate(chains, visible)) {
                RandomStream rng = new RandomStream(1);
                net.initialize(rng, 1.0, 0.1);
                backend.sampler().fillNormal(init, 0f, 1f, rng);
                try (HmcChains hmc = new HmcChains(net, init)) {
                    // A step size the unit-precision term plus small hidden terms accept most of the time.
                    float eps = 0.1f;
                    for (int t = 0; t < warmup; t++) {
                        hmc.transition(eps, steps, rng);
                    }
                    timer.reset();
                    long start = System.nanoTime();
                    double accept = 0;
                    for (int t = 0; t < transitions; t++) {
                        TrajectoryStats s = hmc.transition(eps, steps, rng);
                        accept += s.meanAcceptProbability();
                    }
                    long wall = System.nanoTime() - start;
                    report(real, timer, chains, visible, hidden, steps, transitions, wall, accept / transitions, activation);
                }
            }
        }
    }

    private static void report(Backend real, OpTimer timer, int chains, int visible, int hidden, int steps,
                               int transitions, long wall, double accept, Activation activation) {
        double seconds = wall / 1e9;
        double trajPerSec = (double) chains * transitions / seconds;
        long gemm = timer.nanos("gemm");
        // Per gradient evaluation: forward x W and backward delta W^T (2 n d h flops each), plus the
        // rank-1 seed (2 n h); the energy at the end of each trajectory adds F s^T (2 n h).
        double flopsPerGrad = 4.0 * chains * visible * hidden + 2.0 * chains * hidden;
        double gemmFlops = transitions * (steps * flopsPerGrad + 2.0 * chains * hidden);
        System.out.printf(Locale.ROOT, "backend %s %s%n", real.name(), real.describe());
        System.out.printf(Locale.ROOT, "energy network %d-%d (%s), %d chains, %d leapfrog steps, %d transitions,"
                + " mean acceptance %.2f%n", visible, hidden, activation.shortName(), chains, steps, transitions, accept);
        System.out.printf(Locale.ROOT, "wall %.3f s: %.1f trajectories/s, %.1f gradient evaluations (of all chains)/s%n",
                seconds, trajPerSec, transitions * steps / seconds);
        System.out.printf(Locale.ROOT, "GEMM: %.1f%% of the time, %.1f GFLOP/s%n", 100.0 * gemm / wall,
                gemmFlops / (gemm / 1e9) / 1e9);
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(timer.totals().entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        long accounted = 0;
        for (Map.Entry<String, long[]> e : rows) {
            accounted += e.getValue()[0];
            System.out.printf(Locale.ROOT, "  %-28s %6.1f%%  %8.1f ms  %6d calls%n", e.getKey(),
                    100.0 * e.getValue()[0] / wall, e.getValue()[0] / 1e6, e.getValue()[1]);
        }
        System.out.printf(Locale.ROOT, "  %-28s %6.1f%%%n", "(host side, outside the backend)",
                100.0 * (wall - accounted) / wall);
        System.out.printf(Locale.ROOT, "{\"benchmark\":\"hmc\",\"backend\":\"%s\",\"visible\":%d,\"hidden\":%d,\"chains\":%d,"
                + "\"steps\":%d,\"transitions\":%d,\"seconds\":%.4f,\"trajectoriesPerSecond\":%.2f,\"gemmShare\":%.4f}%n",
                real.name(), visible, hidden, chains, steps, transitions, seconds, trajPerSec, (double) gemm / wall);
    }
}
