package org.ebm4j.cli;

/**
 * Masks of units: parsed from lists such as {@code 0-391,400,402-410} (inclusive ranges, 0-based), or
 * the units another mask leaves out.
 */
final class UnitRanges {
    private UnitRanges() {
    }

    static boolean[] parse(String spec, int n) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("expected unit numbers or ranges such as 0-99,120 but found nothing");
        }
        boolean[] mask = new boolean[n];
        for (String part : spec.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-', 1);
            int from;
            int to;
            try {
                if (dash < 0) {
                    from = Integer.parseInt(p);
                    to = from;
                } else {
                    from = Integer.parseInt(p.substring(0, dash).trim());
                    to = Integer.parseInt(p.substring(dash + 1).trim());
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "' is not a unit number or a range a-b");
            }
            if (from < 0 || to >= n || from > to) {
                throw new IllegalArgumentException("'" + p + "' is outside the units 0-" + (n - 1));
            }
            for (int i = from; i <= to; i++) {
                mask[i] = true;
            }
        }
        return mask;
    }

    /** The units {@code mask} leaves out (e.g. those a hiding mask leaves visible). */
    static boolean[] complement(boolean[] mask) {
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = !mask[i];
        }
        return out;
    }
}
