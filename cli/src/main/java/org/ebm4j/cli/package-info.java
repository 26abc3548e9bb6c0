/**
 * The {@code ebm} command line and its runnable jar: the picocli entry point, the commands of each
 * model family, and what they share (common options, flag checks, text or JSON-lines output,
 * progress, logging set-up, pictures). A command turns flags into the library's options, makes one
 * library call and prints the result. Not a library API: classes are public only where the
 * subcommand packages need them.
 */
package org.ebm4j.cli;
