package org.ebm4j.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the PTX files the way the CUDA backend does: as class-path resources of this module. */
final class PtxResources {
    static final String DIR = "/org/ebm4j/kernels/";
    static final List<String> MODULES = List.of("elementwise", "reduce", "sampler", "sgemm", "sgemm2");
    private static final Pattern ENTRY = Pattern.compile("^\\.visible \\.entry (\\w+)\\(", Pattern.MULTILINE);

    private PtxResources() {
    }

    static String text(String module) {
        try (InputStream in = PtxResources.class.getResourceAsStream(DIR + module + ".ptx")) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + DIR + module + ".ptx is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> entryPoints(String module) {
        List<String> names = new ArrayList<>();
        Matcher m = ENTRY.matcher(text(module));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static List<String> entryPoints() {
        List<String> all = new ArrayList<>();
        for (String module : MODULES) {
            all.addAll(entryPoints(module));
        }
        return all;
    }
}
