package org.ebm4j.data;

/**
 * Text read from a file, made fit for a one-line error message: a name or value from a damaged
 * file may be kilobytes of binary, so it is escaped (control and unprintable characters as
 * {@code \}{@code uXXXX}, line breaks as {@code \n}) and shortened before it is printed.
 */
public final class Printable {
    /** Characters of a quoted value kept before it is shortened. */
    static final int QUOTE_LIMIT = 60;
    /** The longest message an exception about a file carries. */
    static final int MESSAGE_LIMIT = 2000;

    private Printable() {
    }

    /** {@code s} escaped, shortened to about {@value #QUOTE_LIMIT} characters, in single quotes. */
    public static String quote(String s) {
        String shown = s.length() <= QUOTE_LIMIT ? s : s.substring(0, QUOTE_LIMIT);
        String tail = s.length() <= QUOTE_LIMIT ? "" : "... (" + s.length() + " characters)";
        return "'" + escape(shown) + "'" + tail;
    }

    /**
     * {@code message} as one printable line of at most about {@value #MESSAGE_LIMIT} characters: the
     * last guard of the exceptions that report damaged files, whatever their callers put in.
     */
    public static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        String e = escape(message);
        return e.length() <= MESSAGE_LIMIT ? e : e.substring(0, MESSAGE_LIMIT) + "... (message shortened)";
    }

    private static String escape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> printable(s, i) ? null : String.format("\\u%04x", (int) c);
            };
            if (rep != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    private static boolean printable(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
        int type = Character.getType(c);
        return !Character.isISOControl(c) && c != '\uFFFD' && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR;
    }
}
