package org.ebm4j.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command's events go on stdout: under {@code --json} the event as one JSON line, otherwise
 * the command's own human text. Progress is silent under {@code --quiet}; a result is not.
 */
public final class JsonOrText {
    private final PrintWriter out;
    private final CommonOptions common;

    public JsonOrText(CommandSpec spec, CommonOptions common) {
        this.out = spec.commandLine().getOut();
        this.common = common;
    }

    /** A final result: printed as JSON or as {@code text}, {@code --quiet} or not. */
    public void result(Map<String, ?> event, Consumer<PrintWriter> text) {
        if (common.json()) {
            JsonOut.print(out, event);
        } else {
            text.accept(out);
            out.flush();
        }
    }

    /** A progress event: printed as JSON, or as {@code text} unless {@code --quiet}. */
    public void progress(Map<String, ?> event, Consumer<PrintWriter> text) {
        if (common.json() || !common.quiet()) {
            result(event, text);
        }
    }
}
