package org.ebm4j.cpu.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * The cache sizes and core count of the machine the backend runs on, as the GEMM's block sizes need
 * them. On Linux they come from sysfs ({@code cpu0/cache/index*\/{level,type,size}} and
 * {@code online}); a size that cannot be read keeps its default, and {@link #source()} says which
 * values were read. The defaults are a typical x86 server core of the last few years (32 KiB L1d,
 * 1 MiB L2, 32 MiB L3), so a machine without sysfs gets the block sizes the GEMM was tuned with.
 *
 * @param l1dBytes L1 data cache of one core
 * @param l2Bytes  L2 cache of one core (unified)
 * @param l3Bytes  last-level (L3) cache, shared
 * @param cores    logical CPUs online
 * @param source   where the values came from: {@code "sysfs"}, {@code "sysfs (partial)"} or {@code "defaults"}
 */
public record CpuCaches(long l1dBytes, long l2Bytes, long l3Bytes, int cores, String source) {
    public static final long DEFAULT_L1D = 32L << 10;
    public static final long DEFAULT_L2 = 1L << 20;
    public static final long DEFAULT_L3 = 32L << 20;
    private static final Path SYSFS_CPU = Paths.get("/sys/devices/system/cpu");

    private static volatile CpuCaches detected;

    public CpuCaches {
        if (l1dBytes <= 0 || l2Bytes <= 0 || l3Bytes <= 0 || cores <= 0) {
            throw new IllegalArgumentException("cache sizes and core count must be positive, found L1d " + l1dBytes
                    + ", L2 " + l2Bytes + ", L3 " + l3Bytes + ", cores " + cores);
        }
    }

    /** The defaults, with the JVM's processor count. */
    public static CpuCaches defaults() {
        return new CpuCaches(DEFAULT_L1D, DEFAULT_L2, DEFAULT_L3, Runtime.getRuntime().availableProcessors(), "defaults");
    }

    /** This machine's caches, read once per JVM (sysfs on Linux, else {@link #defaults()}). */
    public static CpuCaches detected() {
        CpuCaches c = detected;
        if (c == null) {
            c = read(SYSFS_CPU);
            detected = c;
        }
        return c;
    }

    /**
     * Reads a sysfs CPU directory laid out as {@code /sys/devices/system/cpu}. Missing or unreadable
     * files are not errors: their values keep the defaults. An {@code index} directory counts only
     * when its type is {@code Data} or {@code Unified}.
     */
    public static CpuCaches read(Path cpuDir) {
        long l1d = 0;
        long l2 = 0;
        long l3 = 0;
        Path cacheDir = cpuDir.resolve("cpu0").resolve("cache");
        if (Files.isDirectory(cacheDir)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(cacheDir, "index*")) {
                for (Path d : dirs) {
                    String level = readLine(d.resolve("level"));
                    String type = readLine(d.resolve("type"));
                    long size = parseSize(readLine(d.resolve("size")));
                    if (level == null || size <= 0 || !("Data".equals(type) || "Unified".equals(type))) {
                        continue;
                    }
                    switch (level) {
                        case "1" -> l1d = Math.max(l1d, size);
                        case "2" -> l2 = Math.max(l2, size);
                        case "3" -> l3 = Math.max(l3, size);
                        default -> { } // L4 and beyond do not change the blocking
                    }
                }
            } catch (IOException | RuntimeException e) {
                // An unreadable sysfs leaves the defaults in place: blocking is a speed matter only.
            }
        }
        int cores = parseCpuList(readLine(cpuDir.resolve("online")));
        int found = (l1d > 0 ? 1 : 0) + (l2 > 0 ? 1 : 0) + (l3 > 0 ? 1 : 0) + (cores > 0 ? 1 : 0);
        String source = found == 4 ? "sysfs" : found == 0 ? "defaults" : "sysfs (partial)";
        return new CpuCaches(l1d > 0 ? l1d : DEFAULT_L1D, l2 > 0 ? l2 : DEFAULT_L2, l3 > 0 ? l3 : DEFAULT_L3,
                cores > 0 ? cores : Runtime.getRuntime().availableProcessors(), source);
    }

    /**
     * A sysfs size ({@code "32K"}, {@code "1024K"}, {@code "32768K"}, {@code "2M"}, or plain bytes) in
     * bytes; 0 for null or anything else (which then counts as unknown).
     */
    public static long parseSize(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            return v > 0 && v <= (1L << 40) / unit ? v * unit : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** How many CPUs a sysfs CPU list names ({@code "0-1"}, {@code "0,2-5"}); 0 for null or malformed. */
    public static int parseCpuList(String s) {
        if (s == null || s.isBlank()) {
            return 0;
        }
        int n = 0;
        try {
            for (String part : s.trim().split(",")) {
                int dash = part.indexOf('-');
                if (dash < 0) {
                    Integer.parseInt(part);
                    n++;
                } else {
                    int lo = Integer.parseInt(part.substring(0, dash));
                    int hi = Integer.parseInt(part.substring(dash + 1));
                    if (hi < lo) {
                        return 0;
                    }
                    n += hi - lo + 1;
                }
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return n;
    }

    private static String readLine(Path p) {
        try {
            String s = Files.readString(p, StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
