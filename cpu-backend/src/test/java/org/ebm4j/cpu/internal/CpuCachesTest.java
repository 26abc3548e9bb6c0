package org.ebm4j.cpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ebm4j.cpu.internal.gemm.GemmBlocking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuCachesTest {
    @TempDir
    Path root;

    private void cache(int index, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(root.resolve("cpu0/cache/index" + index));
        if (level != null) {
            Files.writeString(d.resolve("level"), level + "\n");
        }
        if (type != null) {
            Files.writeString(d.resolve("type"), type + "\n");
        }
        if (size != null) {
            Files.writeString(d.resolve("size"), size + "\n");
        }
    }

    @Test
    void readsAZen4LayoutWithInstructionCacheIgnored() throws IOException {
        cache(0, "1", "Data", "32K");
        cache(1, "1", "Instruction", "64K");
        cache(2, "2", "Unified", "1024K");
        cache(3, "3", "Unified", "32768K");
        Files.writeString(root.resolve("online"), "0-1\n");
        CpuCaches c = CpuCaches.read(root);
        assertEquals(new CpuCaches(32 << 10, 1 << 20, 32L << 20, 2, "sysfs"), c);
    }

    @Test
    void missingFilesKeepTheDefaults() throws IOException {
        cache(0, "1", "Data", "48K");
        cache(2, "2", "Unified", null); // no size file
        cache(3, null, "Unified", "2M"); // no level file
        CpuCaches c = CpuCaches.read(root);
        assertEquals(48 << 10, c.l1dBytes());
        assertEquals(CpuCaches.DEFAULT_L2, c.l2Bytes());
        assertEquals(CpuCaches.DEFAULT_L3, c.l3Bytes());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.cores());
        assertEquals("sysfs (partial)", c.source());
    }

    @Test
    void noSysfsAtAllGivesTheDefaults() {
        CpuCaches c = CpuCaches.read(root.resolve("absent"));
        assertEquals(CpuCaches.defaults(), c);
    }

    @Test
    void parsesSysfsSizesAndCpuLists() {
        assertEquals(32L << 10, CpuCaches.parseSize("32K"));
        assertEquals(1L << 20, CpuCaches.parseSize("1024K"));
        assertEquals(32L << 20, CpuCaches.parseSize("32768K"));
        assertEquals(2L << 20, CpuCaches.parseSize("2M"));
        assertEquals(4096, CpuCaches.parseSize("4096"));
        assertEquals(0, CpuCaches.parseSize("lots"));
        assertEquals(0, CpuCaches.parseSize("-5K"));
        assertEquals(0, CpuCaches.parseSize(null));
        assertEquals(2, CpuCaches.parseCpuList("0-1"));
        assertEquals(5, CpuCaches.parseCpuList("0,2-5"));
        assertEquals(1, CpuCaches.parseCpuList("3"));
        assertEquals(0, CpuCaches.parseCpuList("5-2"));
        assertEquals(0, CpuCaches.parseCpuList("x"));
    }

    @Test
    void rejectsNonPositiveSizes() {
        assertThrows(IllegalArgumentException.class, () -> new CpuCaches(0, 1, 1, 1, "test"));
    }

    /**
     * The rule reproduces the depth blocks the GEMM was tuned with on a 32 KiB-L1d core (k = 784 and
     * 500 split into 262 and 250) and grows with a larger L1d and L2.
     */
    @Test
    void blockingFollowsTheCaches() {
        GemmBlocking zen4 = GemmBlocking.forMachine(new CpuCaches(32 << 10, 1 << 20, 32L << 20, 2, "test"), 6, 64);
        assertEquals(336, zen4.kcMax()); // 32 KiB / 4 / (6 * 4 B) = 341, down to a multiple of 16
        assertEquals(192 * 1024, zen4.l2BlockFloats());
        assertEquals(1 << 21, zen4.packedBCapFloats());
        GemmBlocking xeon = GemmBlocking.forMachine(new CpuCaches(48 << 10, 2 << 20, 256L << 20, 2, "test"), 6, 64);
        assertEquals(512, xeon.kcMax());
        assertEquals(384 * 1024, xeon.l2BlockFloats());
        assertEquals(8 << 20, xeon.packedBCapFloats()); // a quarter of 256 MiB, capped at 32 MiB
        GemmBlocking tinyL2 = GemmBlocking.forMachine(new CpuCaches(64 << 10, 128 << 10, 1 << 20, 1, "test"), 6, 64);
        assertEquals(192, tinyL2.kcMax()); // two 64-column panels must fit in 96 KiB, though L1d alone would allow 672
    }
}
