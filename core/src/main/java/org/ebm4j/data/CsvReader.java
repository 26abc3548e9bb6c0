package org.ebm4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads real-valued data from CSV: one example per line, every line with the same number of
 * finite decimal numbers ({@code 12}, {@code -0.5}, {@code 1e-3}; not Java-only forms such as
 * {@code 0x1p-1} or {@code 1f}), separated by a delimiter (comma by default). Blank lines are skipped, and
 * so are lines starting with {@code #}. The first line may be a header of column names
 * ({@link Header}). A file whose name ends with {@code .gz} is gunzipped. Errors name the file,
 * the line and the column. A reader made by {@link #withMissingValues()} also accepts missing entries
 * (an empty field, {@code NA}, {@code NaN} or {@code ?}) and reads them as {@code NaN}.
 */
public final class CsvReader {

    /** Whether the first line is a header. */
    public enum Header {
        /**
         * A header when no field of the first line is a number; a first line that mixes numbers and
         * other text is a data row with a typo (an error naming its column), never a header, so a
         * damaged first row cannot silently disappear.
         */
        AUTO,
        /** The first line is a header. */
        PRESENT,
        /** Every line is data. */
        ABSENT
    }

    private final char delimiter;
    private final Header header;
    private final boolean missing;

    public CsvReader(char delimiter, Header header) {
        this(delimiter, header, false);
    }

    private CsvReader(char delimiter, Header header, boolean missing) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == '.' || delimiter == '-'
                || Character.isDigit(delimiter)) {
            throw new IllegalArgumentException("CSV delimiter '" + delimiter + "' cannot separate numbers");
        }
        this.delimiter = delimiter;
        this.header = header;
        this.missing = missing;
    }

    /** This reader, but reading missing entries (empty, {@code NA}, {@code NaN}, {@code ?}) as {@code NaN}. */
    public CsvReader withMissingValues() {
        return new CsvReader(delimiter, header, true);
    }

    private static boolean isMissingMark(String f) {
        return f.isEmpty() || f.equals("?") || f.equalsIgnoreCase("NA") || f.equalsIgnoreCase("NaN");
    }

    /** Comma-separated, header detected automatically. */
    public CsvReader() {
        this(',', Header.AUTO);
    }

    public Dataset read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "CSV file not found (or not a regular file)");
        }
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return read(new InputStreamReader(in, StandardCharsets.UTF_8), file.toString());
        }
    }

    /** Reads CSV text; {@code source} names it in error messages. */
    public Dataset read(Reader reader, String source) throws IOException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        FloatList values = new FloatList();
        int cols = -1;
        int rows = 0;
        int lineNo = 0;
        boolean first = true;
        String[] fields = new String[16];
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.charAt(0) == '#') {
                continue;
            }
            int n = split(trimmed, fields);
            if (n > fields.length) {
                fields = new String[n];
                split(trimmed, fields);
            }
            if (first) {
                first = false;
                boolean isHeader = header == Header.PRESENT || (header == Header.AUTO && noneNumeric(fields, n));
                if (isHeader) {
                    cols = n;
                    continue;
                }
            }
            if (cols < 0) {
                cols = n;
            } else if (n != cols) {
                throw new InvalidDataFileException(source + ": line " + lineNo + " has " + n + " fields, expected " + cols
                        + " (as on the first line)");
            }
            for (int c = 0; c < n; c++) {
                String f = fields[c].strip();
                if (missing && isMissingMark(f)) {
                    values.add(Float.NaN);
                    continue;
                }
                if (f.isEmpty()) {
                    throw new InvalidDataFileException(source + ": line " + lineNo + ", column " + (c + 1)
                            + " is empty; expected a number");
                }
                if (!isDecimal(f)) {
                    throw new InvalidDataFileException(source + ": line " + lineNo + ", column " + (c + 1) + ": "
                            + Printable.quote(f) + " is not a number (expected a decimal such as 12, -0.5 or 1e-3)");
                }
                float v = Float.parseFloat(f);
                if (!Float.isFinite(v)) {
                    throw new InvalidDataFileException(source + ": line " + lineNo + ", column " + (c + 1) + ": "
                            + Printable.quote(f) + " is not a finite float32 number");
                }
                values.add(v);
            }
            rows++;
        }
        if (rows == 0) {
            throw new InvalidDataFileException(source + ": no data rows found (expected at least one line of numbers"
                    + (cols > 0 ? " after the header" : "") + ")");
        }
        return Dataset.of(source, rows, cols, values.toArray());
    }

    /** Splits on the delimiter; returns the field count (fields beyond the array's length are counted, not stored). */
    private int split(String line, String[] out) {
        int n = 0;
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == delimiter) {
                if (n < out.length) {
                    out[n] = unquote(line.substring(start, i));
                }
                n++;
                start = i + 1;
            }
        }
        return n;
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    private static boolean noneNumeric(String[] fields, int n) {
        for (int c = 0; c < n; c++) {
            if (isDecimal(fields[c].strip())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} is a plain decimal number: optional sign, digits with an optional point
     * (at least one digit), optional exponent. {@link Float#parseFloat} alone also takes hexadecimal
     * ({@code 0x1p-1}), type suffixes ({@code 1f}, {@code 2d}), {@code NaN} and {@code Infinity},
     * which no other CSV reader does.
     */
    public static boolean isDecimal(String s) {
        int n = s.length();
        int i = skipSign(s, 0);
        int whole = skipDigits(s, i);
        int digits = whole - i;
        i = whole;
        if (i < n && s.charAt(i) == '.') {
            int fraction = skipDigits(s, i + 1);
            digits += fraction - i - 1;
            i = fraction;
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int exp = skipSign(s, i + 1);
            i = skipDigits(s, exp);
            if (i == exp) {
                return false;
            }
        }
        return i == n;
    }

    private static int skipSign(String s, int i) {
        return i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-') ? i + 1 : i;
    }

    /** The index after the ASCII digits starting at {@code i}. */
    private static int skipDigits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** A growable float array, so large files do not box every value. */
    private static final class FloatList {
        private float[] data = new float[1024];
        private int size;

        void add(float v) {
            if (size == data.length) {
                if (data.length > Integer.MAX_VALUE / 2 - 8) {
                    throw new IllegalStateException("CSV data too large for one float array");
                }
                data = java.util.Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
