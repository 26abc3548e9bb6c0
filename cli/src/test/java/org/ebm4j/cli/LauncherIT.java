package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code ./ebm} launcher as a user runs it, on the jar that {@code package} has just built: standard
 * output carries the command's output and nothing else ({@code info --json}: one JSON object), whatever
 * the JVM has to say goes to standard error. Run on the build's JDK, and on a JDK 25 or later where the
 * machine has one in {@code /usr/lib/jvm}, twice: the first run writes the ahead-of-time cache, the
 * second reads it, and the JVM talks about the cache on both.
 */
class LauncherIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = REPO.resolve("ebm");
    private static final Path JAR = REPO.resolve("cli/target/ebm.jar");
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(([0-9]+)[^\"]*)\"");

    @Test
    void infoJsonAloneOnStandardOutputOnTheBuildJdk() throws Exception {
        assertInfoJson(Path.of(System.getProperty("java.home")));
    }

    @Test
    void infoJsonAloneOnStandardOutputWhileJdk25WritesAndReadsItsCache() throws Exception {
        Optional<Jdk> jdk = newestJdk(Path.of("/usr/lib/jvm"), 25);
        assumeTrue(jdk.isPresent(), "no JDK 25 or later in /usr/lib/jvm");
        Path cache = REPO.resolve("cli/target/ebm-" + jdk.get().version() + ".aot");
        Files.deleteIfExists(cache);
        assertInfoJson(jdk.get().home());
        assertTrue(Files.isRegularFile(cache), "the first run on " + jdk.get() + " writes " + cache);
        assertInfoJson(jdk.get().home());
    }

    /** Runs {@code ./ebm info --json} with {@code JAVA_HOME=javaHome}: exit 0 and one JSON object on stdout. */
    private static void assertInfoJson(Path javaHome) throws Exception {
        assertTrue(Files.isRegularFile(JAR), "expected the jar built by package at " + JAR);
        ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "info", "--json");
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.remove("EBM_JAVA_OPTS");
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        Path err = Files.createTempFile("ebm-launcher", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./ebm info --json finished");
        String stderr = Files.readString(err);
        Files.delete(err);
        assertEquals(0, p.exitValue(), "exit status; stderr: " + stderr);
        List<String> lines = out.lines().toList();
        assertEquals(1, lines.size(), "stdout on " + javaHome + " is the one JSON line, found:\n" + out);
        JsonNode json = new ObjectMapper().readTree(lines.get(0));
        assertTrue(json.isObject() && json.has("backend"), "an info object with its backend, found: " + out);
    }

    private record Jdk(Path home, String version, int feature) {
    }

    /** The JDK of the highest release at least {@code minFeature} under {@code dir}, read from each one's release file. */
    private static Optional<Jdk> newestJdk(Path dir, int minFeature) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(dir)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && Files.isRegularFile(h.resolve("release")))
                    .map(LauncherIT::jdk).flatMap(Optional::stream).filter(j -> j.feature() >= minFeature)
                    .max(Comparator.comparingInt(Jdk::feature));
        }
    }

    private static Optional<Jdk> jdk(Path home) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Optional.of(new Jdk(home, m.group(1), Integer.parseInt(m.group(2)))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
