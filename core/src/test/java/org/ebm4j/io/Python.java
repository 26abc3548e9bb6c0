package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code python3} for the export tests' optional cross-checks against NumPy and the
 * safetensors library: the test is skipped, with a message, where they are not installed; they
 * are never needed to build.
 */
final class Python {
    private Python() {
    }

    /** Skips the calling test unless {@code python3} can import every module. */
    static void assumeModules(String... modules) {
        String imports = "import " + String.join(", ", modules);
        boolean ok;
        try {
            Process p = new ProcessBuilder("python3", "-c", imports).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        Assumptions.assumeTrue(ok, "python3 with " + String.join(" and ", modules) + " is not installed: '"
                + imports + "' failed, so this cross-check is skipped");
    }

    /** Runs {@code script} with {@code args}; it must exit 0 and print {@code done}. Returns its output. */
    static String run(String script, String done, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = proc.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "python3 did not finish within 60 s");
        assertEquals(0, proc.exitValue(), out);
        assertTrue(out.contains(done), out);
        return out;
    }
}
