package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.data.Dataset;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    @Test
    void drawPositionsAndOptionsReadBackWhatTheBuilderWrote() {
        Map<String, Long> draws = new LinkedHashMap<>();
        draws.put("layer2.sampling", 41L);
        draws.put("layer1.sampling", 7L);
        draws.put("finetune.shuffle", 3L);
        Provenance p = Provenance.builder().model("toy").options(Map.of("seed", "5", "lr", "0.1")).seed(5)
                .draws(draws).build();
        Provenance back = Provenance.fromMetadata(p.toMetadata());
        assertEquals(draws, back.draws());
        assertEquals(List.of("layer2.sampling", "layer1.sampling", "finetune.shuffle"), List.copyOf(back.draws().keySet()),
                "a resumed run meets its streams in the order they were written");
        assertEquals(Map.of("seed", "5", "lr", "0.1"), back.options());
        assertEquals(List.of("lr", "seed"), List.copyOf(back.options().keySet()), "options sorted by name");
    }

    @Test
    void aDrawPositionThatIsNotAWholeNumberIsAnError() {
        Provenance p = Provenance.builder().model("toy").put("draw.sampling", "x").build();
        assertThrows(NumberFormatException.class, p::draws);
    }

    /** SHA-256 of little-endian float32 values, in lower-case hex, written out with the JDK alone. */
    private static String sha256(float... values) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b.array()));
    }

    @Test
    void requireSameDataReturnsTheChecksumOrNamesBothDataSets() throws Exception {
        String sha = sha256(1f, -2f);
        Provenance p = Provenance.builder().data("toy.csv", 1, 2, sha).build();
        assertEquals(sha, p.requireSameData("data", "data.", Dataset.of("toy", 1, 2, new float[] {1f, -2f}), "ck.ebm"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.requireSameData("test data",
                "data.", Dataset.of("other", 2, 1, new float[] {1f, -2f}), "ck.ebm"));
        assertEquals("test data other (2x1, sha256 " + sha + ") is not the test data ck.ebm was trained on (toy.csv, "
                + "1x2, sha256 " + sha + ")", e.getMessage());
        String changed = sha256(1f, 2f);
        e = assertThrows(IllegalArgumentException.class, () -> p.requireSameData("data", "data.",
                Dataset.of("toy", 1, 2, new float[] {1f, 2f}), "ck.ebm"));
        assertEquals("data toy (1x2, sha256 " + changed + ") is not the data ck.ebm was trained on (toy.csv, 1x2, "
                + "sha256 " + sha + ")", e.getMessage());
    }

    @Test
    void withDrawsAppendsThePositionsAfterTheEntries() {
        Provenance p = Provenance.builder().model("toy").build().withDraws(Map.of("sampling", 12L));
        assertEquals("12", p.get("draw.sampling"));
        assertEquals(Map.of("sampling", 12L), p.draws());
        List<String> keys = List.copyOf(p.entries().keySet());
        assertEquals(List.of("ebm4j_version", "jvm", "os", "model", "draw.sampling"), keys);
    }

    /** The version is the build's (digits first) or "unknown"; the JVM is vendor, name and version. */
    @Test
    void theVersionAndTheJvmAreRecorded() {
        String v = Provenance.libraryVersion();
        assertTrue(v.equals("unknown") || v.matches("\\d+\\.\\d+.*"), v);
        String jvm = Provenance.jvm();
        assertTrue(jvm.startsWith(System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " ")
                && jvm.endsWith(" " + Runtime.version()), jvm);
        Provenance built = Provenance.builder().build();
        assertEquals(v, built.get("ebm4j_version"));
        assertEquals(jvm, built.get("jvm"));
    }
}
