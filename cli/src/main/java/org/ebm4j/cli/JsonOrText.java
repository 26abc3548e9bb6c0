package org.ebm4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command's events go on stdout: under {@code --json} the event as one JSON line, otherwise
 * the command's own human text, or for {@link #event} one line {@code event: key=value key=value}
 * (numbers to 4 decimals). Progress is silent under {@code --quiet}; a result is not.
 */
public final class JsonOrText {
    private final PrintWriter out;
    private final CommonOptions common;

    public JsonOrText(CommandSpec spec, CommonOptions common) {
        this.out = spec.commandLine().getOut();
        this.common = common;
    }

    /** Whether events are printed as JSON. */
    public boolean json() {
        return common.json();
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

    /**
     * A result whose {@code "event"} entry names it: as JSON, or as the line
     * {@code name: key=value key=value} of its other entries.
     */
    public void event(Map<String, ?> event) {
        result(event, text -> text.println(line(event)));
    }

    /** A result printed as JSON or as one {@code key: value} line per entry, each value as {@code value} writes it. */
    public void fields(Map<String, ?> result, Function<Object, String> value) {
        result(result, text -> result.forEach((k, v) -> text.println(k + ": " + value.apply(v))));
    }

    /** A line of human output only (tables); nothing under {@code --json}. */
    public void text(String line) {
        if (!common.json()) {
            out.println(line);
            out.flush();
        }
    }

    private static String line(Map<String, ?> event) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ?> e : event.entrySet()) {
            if (e.getKey().equals("event")) {
                sb.insert(0, e.getValue() + ":");
                continue;
            }
            sb.append(' ').append(e.getKey()).append('=').append(format(e.getValue()));
        }
        return sb.toString();
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Float f) {
            return String.format(Locale.ROOT, "%.4f", f);
        }
        return String.valueOf(v);
    }
}
