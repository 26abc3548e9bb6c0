package org.ebm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.spi.BackendProvider;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the ebm4j JMH benchmarks, one JMH run per CPU kernel set (each fork gets
 * {@code --add-modules jdk.incubator.vector -Debm.cpu.kernels=<set>}), and prints a Markdown table:
 * GFLOP/s ({@code 2 m n k} per product) for SGEMM, elements/s for the elementwise sampler.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar [REGEX] [options]</pre>
 */
@Command(name = "benchmarks.jar", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the ebm4j benchmarks (JMH) and prints GFLOP/s and elements/s as a Markdown table.",
                "Plain JMH is also available: java -cp benchmarks.jar org.openjdk.jmh.Main -h"})
public final class BenchMain implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "REGEX", defaultValue = ".",
            description = "Benchmarks to run: a regex searched in the benchmark names "
                    + "(SgemmBench.sgemm, SigmoidBernoulliBench.sampleSigmoidBernoulli). Default: all.")
    String filter;

    @Option(names = "--kernels", split = ",", defaultValue = "scalar,vector",
            description = "CPU kernel sets, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> kernels;

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "Thread counts, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> threads;

    @Option(names = "--shapes", split = ",",
            description = "SGEMM shapes, comma-separated, from: NN_100x784x500, NN_1000x784x500, "
                    + "TN_784x100x500, NT_100x500x784 (default: all).")
    List<RbmShape> shapes;

    @Option(names = {"-w", "--warmup"}, defaultValue = "8", description = "Warm-up iterations per fork (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = {"-i", "--iterations"}, defaultValue = "5", description = "Measured iterations per fork (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = {"-r", "--iteration-ms"}, defaultValue = "500", description = "Length of one iteration in ms (default: ${DEFAULT-VALUE}).")
    int iterationMs;

    @Option(names = {"-f", "--forks"}, defaultValue = "1", description = "Forked JVMs per configuration (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--jvm-arg", description = "Extra JVM argument for the forks (repeatable), e.g. --jvm-arg=-XX:+UseParallelGC.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "Only print the table, not JMH's progress.")
    boolean quiet;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws RunnerException {
        String loadBefore = loadAverage();
        boolean cpuBackend = hasCpuBackend();
        List<RunResult> results = new ArrayList<>();
        for (String ks : kernels) {
            ChainedOptionsBuilder ob = new OptionsBuilder()
                    .include(filter)
                    .param("kernels", ks)
                    .param("threads", threads.toArray(new String[0]))
                    .forks(forks)
                    .warmupIterations(warmup)
                    .warmupTime(TimeValue.milliseconds(iterationMs))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.milliseconds(iterationMs))
                    .shouldFailOnError(false)
                    .verbosity(quiet ? VerboseMode.SILENT : VerboseMode.NORMAL);
            List<String> forkArgs = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector",
                    "-Debm.cpu.kernels=" + ks, "-Xms1g", "-Xmx1g"));
            forkArgs.addAll(jvmArgs);
            ob.jvmArgsAppend(forkArgs.toArray(new String[0]));
            if (shapes != null && !shapes.isEmpty()) {
                ob.param("shape", shapes.stream().map(Enum::name).toArray(String[]::new));
            }
            if (!cpuBackend) {
                ob.exclude(Pattern.quote(SigmoidBernoulliBench.class.getName()));
            }
            results.addAll(new Runner(ob.build()).run());
        }
        if (!cpuBackend) {
            System.out.println();
            System.out.println("Note: no 'cpu' BackendProvider on the class path, so SigmoidBernoulliBench was skipped.");
        }
        System.out.println();
        System.out.println(environment(loadBefore, loadAverage()));
        System.out.println();
        System.out.print(table(results));
        return results.isEmpty() ? 1 : 0;
    }

    private static boolean hasCpuBackend() {
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equals("cpu")) {
                return true;
            }
        }
        return false;
    }

    /** One Markdown table of every result, with the vector/scalar ratio where both were run. */
    static String table(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            rows.add(Row.of(r));
        }
        rows.sort(Comparator.comparing((Row r) -> r.benchmark).thenComparing(r -> r.shape)
                .thenComparing(r -> r.threads).thenComparing(r -> r.kernels));
        Map<String, Row> scalar = new HashMap<>();
        for (Row r : rows) {
            if (r.kernels.equals("scalar")) {
                scalar.put(r.benchmark + "|" + r.shape + "|" + r.threads, r);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| Benchmark | Shape | Kernels | Threads | Throughput | ± (99.9%) | ms/op | vs scalar |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            Row s = scalar.get(r.benchmark + "|" + r.shape + "|" + r.threads);
            String ratio = s != null && r != s && s.rate > 0 ? String.format(Locale.ROOT, "%.1fx", r.rate / s.rate) : "";
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.3f | %s |%n",
                    r.benchmark, r.shape, r.kernels, r.threads, r.format(r.rate),
                    Double.isNaN(r.error) ? "n/a" : r.format(r.error),
                    1000.0 / r.opsPerSecond, ratio));
        }
        return sb.toString();
    }

    private static String environment(String loadBefore, String loadAfter) {
        return String.format(Locale.ROOT, "JDK %s (%s), %s, %d CPUs; load average before %s, after %s",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), cpuModel(),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: the architecture will do
        }
        return System.getProperty("os.arch");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** A result turned into the unit that matters for its benchmark. */
    private static final class Row {
        String benchmark;
        String shape;
        String kernels;
        String threads;
        double opsPerSecond;
        double rate;
        double error;
        boolean flops;

        static Row of(RunResult r) {
            Row row = new Row();
            String name = r.getParams().getBenchmark();
            row.benchmark = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            row.kernels = r.getParams().getParam("kernels");
            row.threads = r.getParams().getParam("threads");
            Result<?> primary = r.getPrimaryResult();
            row.opsPerSecond = primary.getScore();
            double err = primary.getScoreError();
            String shapeName = r.getParams().getParam("shape");
            double perOp;
            if (shapeName != null) {
                RbmShape s = RbmShape.valueOf(shapeName);
                row.shape = s.label;
                row.flops = true;
                perOp = s.flops() / 1e9;
            } else {
                row.shape = SigmoidBernoulliBench.ROWS + "x" + SigmoidBernoulliBench.COLS;
                perOp = (double) SigmoidBernoulliBench.ROWS * SigmoidBernoulliBench.COLS / 1e6;
            }
            row.rate = row.opsPerSecond * perOp;
            row.error = err * perOp;
            return row;
        }

        String format(double v) {
            return String.format(Locale.ROOT, flops ? "%.1f GFLOP/s" : "%.1f M elem/s", v);
        }
    }
}
