package org.ebm4j.cli;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --data}: every command's one way of naming its data, an MNIST directory, an IDX file, a CSV
 * file or a built-in data set ({@link DataSource#detect}); each command says which kinds it takes and
 * its default through the constructor.
 */
public final class DataOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Its initial value, which each command chooses, is the default. */
    @Option(names = "--data", paramLabel = "DIR|FILE|NAME",
            description = "Data: a directory of MNIST IDX files, an IDX image file, a CSV file or a built-in set, as the "
                    + "command's description says (default: ${DEFAULT-VALUE}).")
    String data;

    private final Set<DataSource.Kind> accepted;
    private final List<String> builtIns;

    /** The option taking {@code accepted} kinds and the built-in sets {@code builtIns}, {@code defaultValue} unless given. */
    public DataOption(String defaultValue, Set<DataSource.Kind> accepted, List<String> builtIns) {
        this.data = defaultValue;
        this.accepted = EnumSet.copyOf(accepted);
        this.builtIns = builtIns;
    }

    /** The MNIST kinds: a directory, an IDX file or the embedded 10,000 images ({@code mnist-10k}, the default). */
    public static DataOption mnist() {
        return new DataOption(DataSource.MNIST_10K, EnumSet.of(DataSource.Kind.MNIST_DIR, DataSource.Kind.IDX_FILE,
                DataSource.Kind.BUILT_IN), List.of(DataSource.MNIST_10K));
    }

    /** What the value names; a usage error naming {@code --data} when it fits none of the accepted kinds. */
    public DataSource source() {
        return FlagChecks.parse(spec, "--data", () -> DataSource.detect(data, accepted, builtIns));
    }
}
