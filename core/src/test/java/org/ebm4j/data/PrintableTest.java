package org.ebm4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How text from a damaged file is made fit for a one-line message. */
class PrintableTest {

    @Test
    void controlAndUnprintableCharactersAreEscaped() {
        assertEquals("'plain text, \u00e9'", Printable.quote("plain text, \u00e9"));
        assertEquals("'a\\nb\\rc\\td'", Printable.quote("a\nb\rc\td"));
        // NUL, a format character (zero-width space U+200B), the replacement character, private use,
        // line and paragraph separators: each becomes its \\u escape, the text around it stays.
        assertEquals("'x\\u0000y\\u200bz\\ufffd\\ue000\\u2028\\u2029'",
                Printable.quote("x\u0000y\u200Bz\uFFFD\uE000\u2028\u2029"));
        assertEquals("'\\u0378'", Printable.quote("\u0378"), "an unassigned code point");
    }

    @Test
    void onlyPairedSurrogatesArePrinted() {
        String smile = "\uD83D\uDE00";
        assertEquals("'" + smile + "'", Printable.quote(smile));
        assertEquals("'\\ud83d'", Printable.quote("\uD83D"), "a high surrogate at the end");
        assertEquals("'\\ud83da'", Printable.quote("\uD83Da"), "a high surrogate before a letter");
        assertEquals("'\\ude00'", Printable.quote("\uDE00"), "a low surrogate at the start");
        assertEquals("'a\\ude00'", Printable.quote("a\uDE00"), "a low surrogate after a letter");
    }

    @Test
    void longValuesAreShortenedToTheLimitWithTheirLength() {
        String sixty = "x".repeat(Printable.QUOTE_LIMIT);
        assertEquals("'" + sixty + "'", Printable.quote(sixty), "exactly the limit is kept whole");
        assertEquals("'" + sixty + "'... (61 characters)", Printable.quote(sixty + "y"));
    }

    @Test
    void messagesBecomeOneBoundedLine() {
        assertNull(Printable.oneLine(null));
        assertEquals("line 1\\nline 2", Printable.oneLine("line 1\nline 2"));
        String limit = "m".repeat(Printable.MESSAGE_LIMIT);
        assertEquals(limit, Printable.oneLine(limit));
        assertEquals(limit + "... (message shortened)", Printable.oneLine(limit + "m"));
        // Escaping can lengthen a message past the limit: the escaped text is what is cut.
        String breaks = "\n".repeat(Printable.MESSAGE_LIMIT / 2 + 1);
        assertEquals("\\n".repeat(Printable.MESSAGE_LIMIT / 2) + "... (message shortened)", Printable.oneLine(breaks));
    }
}
