package org.ebm4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a command's results: with {@code --json} one JSON object per line (each with an
 * {@code "event"} key first), otherwise one human-readable line per event,
 * {@code event: key=value key=value}, numbers to 4 significant decimals.
 */
final class EventPrinter {
    private final PrintWriter out;
    private final boolean json;

    EventPrinter(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    void emit(Map<String, ?> event) {
        if (json) {
            JsonOut.print(out, event);
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, ?> e : event.entrySet()) {
            if (e.getKey().equals("event")) {
                sb.insert(0, e.getValue() + ":");
                continue;
            }
            sb.append(' ').append(e.getKey()).append('=').append(format(e.getValue()));
        }
        out.println(sb);
        out.flush();
    }

    /** A line of human output only (tables); nothing under {@code --json}. */
    void text(String line) {
        if (!json) {
            out.println(line);
            out.flush();
        }
    }

    static String format(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Float f) {
            return String.format(Locale.ROOT, "%.4f", f);
        }
        return String.valueOf(v);
    }
}
