package org.ebm4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's example on a short schedule, as a user would, and checks what it prints. */
class QuickStartTest {

    @Test
    void theReadmeExampleTrainsScoresSavesLoadsAndTransforms(@TempDir Path dir) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            QuickStart.main(new String[] {dir.toString(), "2", "1000"});
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.print(out);
        assertTrue(Files.size(dir.resolve("rbm.ebm")) > 784 * 64 * 4, "the model file holds the weights");

        Matcher ll = Pattern.compile("held-out log-likelihood: (-?[0-9.]+) nats").matcher(out);
        assertTrue(ll.find(), out);
        double nats = Double.parseDouble(ll.group(1));
        // A uniform model over 784 binary pixels scores 784 ln 2 = 543.4 nats lower than certainty;
        // any trained model must beat it, and no model can score above 0.
        assertTrue(nats < 0 && nats > -784 * Math.log(2), "log-likelihood " + nats);
        assertTrue(out.contains("features: 1000 x 64"), out);
        assertTrue(out.contains("hidden=64") && out.contains("epochs=2") && out.contains("seed=42"), out);
    }
}
