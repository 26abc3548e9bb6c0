package org.ebm4j.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** {@code --name value} pairs for the benchmark mains (no flag library: they are tools, not the product). */
final class BenchArgs {
    private final Map<String, String> values = new HashMap<>();

    BenchArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, found '" + args[i] + "'");
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    String get(String name, String def) {
        return values.getOrDefault(name, def);
    }

    int getInt(String name, int def) {
        return parse(name, Integer.toString(def), Integer::parseInt, "an integer");
    }

    double getDouble(String name, double def) {
        return parse(name, Double.toString(def), Double::parseDouble, "a number");
    }

    private <T> T parse(String name, String def, Function<String, T> parser, String expected) {
        String v = get(name, def);
        try {
            return parser.apply(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be " + expected + ", found '" + v + "'");
        }
    }
}
