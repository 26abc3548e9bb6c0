package org.ebm4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MutationFloorsTest {

    private static final String REPORT = """
            <?xml version="1.0" encoding="UTF-8"?>
            <mutations>
            <mutation detected='true' status='KILLED' numberOfTestsRun='2'><sourceFile>A.java</sourceFile><mutatedClass>org.x.a.A</mutatedClass></mutation>
            <mutation detected='false' status='SURVIVED' numberOfTestsRun='2'><sourceFile>A.java</sourceFile><mutatedClass>org.x.a.A$Inner</mutatedClass></mutation>
            <mutation detected='true' status='TIMED_OUT' numberOfTestsRun='1'><sourceFile>A.java</sourceFile><mutatedClass>org.x.a.A</mutatedClass></mutation>
            <mutation detected='false' status='NO_COVERAGE' numberOfTestsRun='0'><sourceFile>A.java</sourceFile><mutatedClass>org.x.a.A</mutatedClass></mutation>
            <mutation detected='true' status='KILLED' numberOfTestsRun='1'><sourceFile>B.java</sourceFile><mutatedClass>org.x.b.B</mutatedClass></mutation>
            </mutations>
            """;

    private static Map<String, MutationFloors.Tally> tally() throws Exception {
        return MutationFloors.tally(
                new ByteArrayInputStream(REPORT.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void countsDetectedOverAllMutantsPerPackage() throws Exception {
        Map<String, MutationFloors.Tally> t = tally();
        assertEquals(Map.of("org.x.a", new MutationFloors.Tally(2, 4),
                "org.x.b", new MutationFloors.Tally(1, 1)), t);
        assertEquals(0.5, t.get("org.x.a").score());
    }

    @Test
    void reportsOnlyThePackagesBelowTheirFloor() throws Exception {
        Properties floors = new Properties();
        floors.setProperty("default", "0.9");
        floors.setProperty("org.x.a", "0.5");
        List<String> lines = new ArrayList<>();
        assertEquals(List.of(), MutationFloors.check(tally(), floors, lines::add));
        assertEquals(4, lines.size(), "header, two packages, total");

        floors.setProperty("org.x.a", "0.51");
        List<String> failures = MutationFloors.check(tally(), floors, s -> { });
        assertEquals(List.of("org.x.a (50.0% < 51.0%)"), failures);

        floors.remove("org.x.a");
        assertEquals(List.of("org.x.a (50.0% < 90.0%)"),
                MutationFloors.check(tally(), floors, s -> { }));
    }
}
