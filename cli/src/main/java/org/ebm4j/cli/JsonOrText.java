package org.ebm4j.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one output layer of every command: each event is a name and an ordered map of snake_case
 * fields. Under {@code --json} it is one JSON object per line with {@code event} first; otherwise it
 * is human text in one style: a result as a block of aligned {@code name: value} lines, a repeated
 * event (epochs, measurements) as a table row under a header printed once. Numbers are rounded
 * ({@link #number}) in text; non-finite numbers are {@code inf}, {@code -inf} and {@code nan} in
 * text and the same strings in JSON (docs/cli-json.md). Progress events are silent under
 * {@code --quiet} in text; results are not.
 */
public final class JsonOrText {
    /** Field names: snake_case, so scripts can rely on one convention. */
    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    /** The widest numeric or text column of a table row. */
    private static final int MIN_COLUMN = 8;
    /** Arrays longer than this show their first values in text. */
    private static final int SHOWN_VALUES = 8;

    private final PrintWriter out;
    private final CommonOptions common;
    private String tableEvent;
    private List<String> tableColumns;

    public JsonOrText(CommandSpec spec, CommonOptions common) {
        this.out = spec.commandLine().getOut();
        this.common = common;
    }

    /** Whether events are printed as JSON. */
    public boolean json() {
        return common.json();
    }

    /** A result ({@code --quiet} does not hide it): a JSON line, or a block of aligned {@code name: value} lines. */
    public void result(String event, Map<String, ?> fields) {
        if (common.json()) {
            JsonOut.print(out, jsonObject(event, fields));
            return;
        }
        tableEvent = null;
        out.println(event + ":");
        int width = 0;
        for (String k : fields.keySet()) {
            width = Math.max(width, words(k).length());
        }
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            List<String> lines = text(e.getValue());
            out.printf(Locale.ROOT, "  %-" + (width + 1) + "s %s%n", words(e.getKey()) + ":", lines.get(0));
            for (String more : lines.subList(1, lines.size())) {
                out.println("  " + " ".repeat(width + 2) + more);
            }
        }
        out.flush();
    }

    /** A progress block, as {@link #result} but hidden under {@code --quiet} in text. */
    public void progress(String event, Map<String, ?> fields) {
        if (common.json() || !common.quiet()) {
            result(event, fields);
        }
    }

    /** One of a series of results (measurements): a JSON line, or a table row under its header. */
    public void row(String event, Map<String, ?> fields) {
        if (common.json()) {
            JsonOut.print(out, jsonObject(event, fields));
            return;
        }
        List<String> columns = new ArrayList<>(fields.keySet());
        if (!event.equals(tableEvent) || !columns.equals(tableColumns)) {
            tableEvent = event;
            tableColumns = columns;
            StringBuilder head = new StringBuilder();
            for (String c : columns) {
                head.append(head.length() == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%" + width(c) + "s",
                        words(c)));
            }
            out.println(head);
        }
        StringBuilder line = new StringBuilder();
        for (String c : columns) {
            line.append(line.length() == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%" + width(c) + "s",
                    text(fields.get(c)).get(0)));
        }
        out.println(line);
        out.flush();
    }

    /** A progress row (epochs): as {@link #row} but hidden under {@code --quiet} in text. */
    public void progressRow(String event, Map<String, ?> fields) {
        if (common.json() || !common.quiet()) {
            row(event, fields);
        }
    }

    private static int width(String column) {
        return Math.max(MIN_COLUMN, words(column).length());
    }

    private static String words(String key) {
        return key.replace('_', ' ');
    }

    /** The JSON object of an event: {@code event} first, then the fields, non-finite numbers as strings. */
    static Map<String, Object> jsonObject(String event, Map<String, ?> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (!SNAKE_CASE.matcher(e.getKey()).matches() || e.getKey().equals("event")) {
                throw new IllegalStateException("event " + event + ": field '" + e.getKey() + "' is not a snake_case "
                        + "name other than 'event'");
            }
            m.put(e.getKey(), json(e.getValue()));
        }
        return m;
    }

    private static Object json(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? v : nonFinite(d);
        }
        if (v instanceof double[] a) {
            List<Object> l = new ArrayList<>();
            for (double d : a) {
                l.add(json(d));
            }
            return l;
        }
        if (v instanceof List<?> list) {
            List<Object> l = new ArrayList<>();
            for (Object o : list) {
                l.add(json(o));
            }
            return l;
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> m = new LinkedHashMap<>();
            map.forEach((k, x) -> m.put(k, json(x)));
            return m;
        }
        if (v instanceof java.nio.file.Path p) {
            return p.toString();
        }
        return v;
    }

    /** {@code camelCase} as {@code snake_case}, for names that come from elsewhere (a backend's description). */
    public static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** The one spelling of a non-finite number, in text and JSON: {@code inf}, {@code -inf} or {@code nan}. */
    public static String nonFinite(double d) {
        return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
    }

    /**
     * A number as text: non-finite ones as {@link #nonFinite}, tiny ones in scientific notation, the
     * others to 6 significant digits and at most 4 decimals (a log Z of 132.347 keeps the digits that
     * separate it from its bounds; a rate of 0.29586000000001433 reads 0.2959).
     */
    public static String number(double d) {
        if (!Double.isFinite(d)) {
            return nonFinite(d);
        }
        double a = Math.abs(d);
        if (a != 0 && a < 1e-4) {
            return String.format(Locale.ROOT, "%.3e", d);
        }
        BigDecimal b = new BigDecimal(d).round(new MathContext(6));
        if (b.scale() > 4) {
            b = b.setScale(4, RoundingMode.HALF_EVEN);
        }
        return b.stripTrailingZeros().toPlainString();
    }

    /** A value as text lines: numbers rounded, arrays shortened, lists of lists as aligned rows, maps inline. */
    private static List<String> text(Object v) {
        if (v instanceof Double || v instanceof Float) {
            return List.of(number(((Number) v).doubleValue()));
        }
        if (v instanceof double[] a) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(a.length, SHOWN_VALUES); i++) {
                sb.append(i == 0 ? "" : " ").append(number(a[i]));
            }
            return List.of(sb + (a.length > SHOWN_VALUES ? " ... (" + a.length + " values; --json for all)" : ""));
        }
        if (v instanceof int[] a) {
            return List.of(java.util.Arrays.toString(a));
        }
        if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof List<?>) {
            List<String> lines = new ArrayList<>();
            for (Object row : list) {
                StringBuilder sb = new StringBuilder();
                for (Object x : (List<?>) row) {
                    sb.append(String.format(Locale.ROOT, "%6s", text(x).get(0)));
                }
                lines.add(sb.toString());
            }
            return lines;
        }
        if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?>) {
            List<String> lines = new ArrayList<>();
            for (Object item : list) {
                lines.add(inline((Map<?, ?>) item));
            }
            return lines;
        }
        if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                return List.of("(none)");
            }
            StringBuilder sb = new StringBuilder();
            for (Object x : list) {
                sb.append(sb.length() == 0 ? "" : " ").append(text(x).get(0));
            }
            return List.of(sb.toString());
        }
        if (v instanceof Map<?, ?> map) {
            return List.of(inline(map));
        }
        return List.of(String.valueOf(v));
    }

    private static String inline(Map<?, ?> map) {
        StringBuilder sb = new StringBuilder();
        map.forEach((k, x) -> sb.append(sb.length() == 0 ? "" : ", ").append(words(String.valueOf(k))).append(": ")
                .append(text(x).get(0)));
        return sb.toString();
    }
}
