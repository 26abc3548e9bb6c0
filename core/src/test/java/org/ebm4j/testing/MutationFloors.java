package org.ebm4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads PIT's {@code mutations.xml}, prints the mutation score of every package and fails when
 * a package falls below its floor. PIT itself only knows one threshold for the whole run, and a
 * strong package must not hide a weak one.
 *
 * <p>The floors file holds {@code package=fraction} lines; {@code default} applies to packages
 * it does not name. The score is PIT's: detected mutants (killed, timed out, memory or run
 * error) over all mutants, uncovered ones included.
 */
public final class MutationFloors {

    private MutationFloors() {}

    /** Detected and total mutants of one package. */
    record Tally(int detected, int total) {
        Tally plus(boolean wasDetected) {
            return new Tally(detected + (wasDetected ? 1 : 0), total + 1);
        }

        double score() {
            return total == 0 ? 1.0 : (double) detected / total;
        }
    }

    /**
     * Entry point of the {@code mutation} profile.
     *
     * @param args the path of {@code mutations.xml} and the path of the floors file
     * @throws IllegalStateException naming every package below its floor
     */
    public static void main(String[] args) throws IOException, XMLStreamException {
        if (args.length != 2) {
            throw new IllegalArgumentException(
                    "expected 2 arguments (mutations.xml, floors file), found " + args.length);
        }
        Map<String, Tally> tallies;
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            tallies = tally(in);
        }
        Properties floors = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[1]))) {
            floors.load(in);
        }
        List<String> failures = check(tallies, floors, System.out::println);
        if (!failures.isEmpty()) {
            throw new IllegalStateException(
                    "mutation score below the floor in " + String.join("; ", failures));
        }
    }

    /** Counts mutants per package of the mutated class. */
    static Map<String, Tally> tally(InputStream mutationsXml) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XMLStreamReader xml = factory.createXMLStreamReader(mutationsXml);
        Map<String, Tally> tallies = new TreeMap<>();
        boolean detected = false;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            if (xml.getLocalName().equals("mutation")) {
                detected = Boolean.parseBoolean(xml.getAttributeValue(null, "detected"));
            } else if (xml.getLocalName().equals("mutatedClass")) {
                String className = xml.getElementText().trim();
                int dot = className.lastIndexOf('.');
                String pkg = dot < 0 ? "" : className.substring(0, dot);
                tallies.merge(pkg, new Tally(0, 0).plus(detected),
                        (a, b) -> new Tally(a.detected() + b.detected(), a.total() + b.total()));
            }
        }
        return tallies;
    }

    /**
     * Prints one line per package and returns the packages below their floors.
     *
     * @param out where the table goes
     */
    static List<String> check(Map<String, Tally> tallies, Properties floors,
            java.util.function.Consumer<String> out) {
        double defaultFloor = Double.parseDouble(floors.getProperty("default", "0"));
        List<String> failures = new ArrayList<>();
        out.accept(String.format("%-28s %8s %8s %7s %7s", "package", "mutants", "detected",
                "score", "floor"));
        int detected = 0;
        int total = 0;
        for (Map.Entry<String, Tally> e : tallies.entrySet()) {
            Tally t = e.getValue();
            double floor = Double.parseDouble(floors.getProperty(e.getKey(),
                    Double.toString(defaultFloor)));
            boolean below = t.score() < floor;
            out.accept(String.format("%-28s %8d %8d %6.1f%% %6.1f%%%s", e.getKey(), t.total(),
                    t.detected(), 100 * t.score(), 100 * floor, below ? "  BELOW" : ""));
            if (below) {
                failures.add(String.format("%s (%.1f%% < %.1f%%)", e.getKey(), 100 * t.score(),
                        100 * floor));
            }
            detected += t.detected();
            total += t.total();
        }
        out.accept(String.format("%-28s %8d %8d %6.1f%%", "all", total, detected,
                100 * new Tally(detected, total).score()));
        return failures;
    }
}
