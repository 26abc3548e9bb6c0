package org.ebm4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's library section and this module cannot drift apart: every Java block in the
 * README that names an example file is that file, to the character, and every dependency the
 * README tells users to add is one this module builds with.
 */
class ReadmeExampleTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path README = MODULE.resolveSibling("README.md");
    /** An HTML comment naming the example file right above its code block. */
    private static final Pattern EXAMPLE = Pattern.compile(
            "<!-- example: (\\S+) -->\\s*\\n```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern ARTIFACT = Pattern.compile(
            "<groupId>(org\\.ebm4j)</groupId>\\s*<artifactId>([\\w-]+)</artifactId>");

    private static String readme() throws IOException {
        return Files.readString(README, StandardCharsets.UTF_8);
    }

    @Test
    void everyReadmeExampleIsItsSourceFile() throws IOException {
        Matcher m = EXAMPLE.matcher(readme());
        List<String> checked = new ArrayList<>();
        while (m.find()) {
            Path source = MODULE.getParent().resolve(m.group(1));
            assertTrue(Files.isRegularFile(source), "the README names " + m.group(1) + ", which does not exist");
            assertEquals(Files.readString(source, StandardCharsets.UTF_8), m.group(2),
                    "the README's code block differs from " + m.group(1) + ": copy the file into the README");
            checked.add(m.group(1));
        }
        assertFalse(checked.isEmpty(), "the README has no example block marked <!-- example: PATH -->");
        assertTrue(checked.contains("examples/src/main/java/org/ebm4j/examples/QuickStart.java"), checked.toString());
    }

    @Test
    void theReadmesDependenciesAreThoseThisModuleBuildsWith() throws IOException {
        String pom = Files.readString(MODULE.resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher m = ARTIFACT.matcher(readme());
        int found = 0;
        while (m.find()) {
            found++;
            assertTrue(pom.contains("<artifactId>" + m.group(2) + "</artifactId>"),
                    "the README tells users to depend on " + m.group(2) + " but the examples do not build with it");
        }
        assertTrue(found >= 2, "the README should give the core and CPU backend dependencies, found " + found);
    }
}
