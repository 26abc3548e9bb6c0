package org.ebm4j.cli;

import java.util.List;
import java.util.Locale;
import org.ebm4j.tensor.Backends;
import picocli.CommandLine.Option;

/**
 * Options every command shares: {@code --backend}, {@code --json}, {@code --quiet},
 * {@code --verbose}, {@code --help}, {@code --version}. {@link CliCommand} mixes them into each
 * command; they are listed after the command's own options ({@link #ORDER}).
 */
public final class CommonOptions {
    /** Backend names accepted by {@code --backend}. */
    public static final List<String> BACKENDS = List.of("auto", "cpu", "cuda");

    /**
     * The help position of these options: after every option without an explicit order (picocli's
     * default order is -1), so that a command lists its own options first.
     */
    static final int ORDER = 1000;

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda[:N]", order = ORDER,
            description = "Backend to run on (default: ${DEFAULT-VALUE}; auto = CUDA when usable, else CPU; "
                    + "cuda:N = CUDA device N; also -Debm.backend or EBM_BACKEND).")
    String backend = Backends.requestedName();

    @Option(names = "--json", order = ORDER,
            description = "Print one JSON object per line on stdout instead of human output.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, order = ORDER, description = "Only results on stdout, warnings and errors on stderr; no progress bars.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, order = ORDER, description = "Debug logging on stderr.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = ORDER, description = "Show this help message and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, order = ORDER,
            description = "Print version information and exit.")
    boolean version;

    /** The validated backend name; a {@link picocli.CommandLine.ParameterException} names the flag otherwise. */
    public String backendName(picocli.CommandLine.Model.CommandSpec spec) {
        String b = backend == null ? "auto" : backend.trim().toLowerCase(Locale.ROOT);
        if (!BACKENDS.contains(b) && !b.matches("cuda:[0-9]+")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--backend must be one of " + BACKENDS + " but was '" + backend + "'");
        }
        return b;
    }

    public boolean json() {
        return json;
    }

    public boolean quiet() {
        return quiet;
    }

    /**
     * Whether to draw progress bars: only on a terminal (stderr), and neither under {@code --quiet}
     * nor under {@code --json} (whose reader is a program).
     */
    public boolean showsProgress() {
        return !quiet && !json && StderrTerminal.isTerminal();
    }
}
