package org.ebm4j.kernels;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the C++ test programs of {@code src/test/cpp} with g++ (once per JVM, both compiles in
 * parallel, skipped when the binaries are newer than every source) and runs them. Tests that need
 * them are skipped, with the reason, only when g++ is not installed.
 */
final class KernelTestPrograms {
    static final Path MODULE = Paths.get(System.getProperty("user.dir"));
    static final Path CUDA_SOURCES = MODULE.resolve("src/main/cuda");
    static final Path CPP_SOURCES = MODULE.resolve("src/test/cpp");
    static final Path BIN = MODULE.resolve("target/emu");

    /** The functional checks, optimized; the fused sampler sees a deliberately perturbed expf. */
    static final Path KERNEL_TESTS = BIN.resolve("kernel_tests");
    /** The shared-memory kernels under ThreadSanitizer. */
    static final Path RACE_TESTS = BIN.resolve("race_tests_tsan");

    private static final long TIMEOUT_SECONDS = 300;
    private static Boolean built;
    private static String buildFailure;

    private KernelTestPrograms() {
    }

    /** The output and exit status of one run. */
    record Run(int exitCode, String output) {
    }

    /** Skips the calling test when g++ is absent; fails it when compiling fails. */
    static synchronized void requireBuilt() throws Exception {
        assumeTrue(gppAvailable(), "g++ is not installed: the CUDA kernels' CPU-emulation tests need g++ 12 or newer"
                + " (C++20 <barrier>) and are skipped");
        if (built == null) {
            buildFailure = build();
            built = buildFailure == null;
        }
        if (!built) {
            throw new AssertionError(buildFailure);
        }
    }

    static boolean gppAvailable() {
        try {
            Process p = new ProcessBuilder("g++", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String build() throws Exception {
        Files.createDirectories(BIN);
        List<String> common = List.of("g++", "-std=c++20", "-pthread", "-Wall", "-Wno-unknown-pragmas",
                "-I", CUDA_SOURCES.toString(), "-I", CPP_SOURCES.toString());
        List<Process> running = new ArrayList<>();
        List<List<String>> commands = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        if (stale(KERNEL_TESTS)) {
            List<String> cmd = new ArrayList<>(common);
            cmd.addAll(List.of("-O2", CPP_SOURCES.resolve("kernel_tests.cpp").toString(), "-o", KERNEL_TESTS.toString()));
            commands.add(cmd);
        }
        if (stale(RACE_TESTS)) {
            List<String> cmd = new ArrayList<>(common);
            cmd.addAll(List.of("-O1", "-g", "-fsanitize=thread", CPP_SOURCES.resolve("race_tests.cpp").toString(),
                    "-o", RACE_TESTS.toString()));
            commands.add(cmd);
        }
        for (List<String> cmd : commands) {
            Path log = Files.createTempFile(BIN, "gpp", ".log");
            logs.add(log);
            running.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < running.size(); i++) {
            Process p = running.get(i);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                failures.append(String.join(" ", commands.get(i))).append(" timed out\n");
                continue;
            }
            String out = Files.readString(logs.get(i), StandardCharsets.UTF_8);
            Files.deleteIfExists(logs.get(i));
            if (p.exitValue() != 0) {
                failures.append(String.join(" ", commands.get(i))).append(" failed:\n").append(out).append('\n');
            }
        }
        return failures.length() == 0 ? null : failures.toString();
    }

    private static boolean stale(Path binary) throws IOException {
        if (!Files.exists(binary)) {
            return true;
        }
        long built = Files.getLastModifiedTime(binary).toMillis();
        try (Stream<Path> sources = Stream.concat(Files.list(CUDA_SOURCES), Files.list(CPP_SOURCES))) {
            return sources.anyMatch(p -> {
                try {
                    return Files.getLastModifiedTime(p).toMillis() >= built;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    static Run run(Path binary, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(List.of(args));
        File log = Files.createTempFile(BIN, "run", ".log").toFile();
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Run(p.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }
}
