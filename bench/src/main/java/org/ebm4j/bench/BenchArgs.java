package org.ebm4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.Mnist;

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

    /** The MNIST {@code split} from the IDX files in {@code --data} (default: the shared copy beside the repository). */
    Dataset mnist(Mnist.Split split) throws IOException {
        return Mnist.load(Path.of(get("data", "../shared/data/mnist")), split);
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
