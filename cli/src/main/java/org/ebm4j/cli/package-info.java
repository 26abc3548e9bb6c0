/**
 * The {@code ebm} command line and its runnable jar: the picocli entry point, the commands of each
 * model family, and what they share: {@link org.ebm4j.cli.CliCommand} (common options, spec, flag
 * checks, backend, output), mixins for flags several commands take ({@link org.ebm4j.cli.SeedOption},
 * {@link org.ebm4j.cli.SgdFlags}, {@link org.ebm4j.cli.SampleFlags}, ...), text or JSON-lines output
 * ({@link org.ebm4j.cli.JsonOrText}, {@link org.ebm4j.cli.EpochEvents}), progress, logging set-up and
 * pictures. A command turns flags into the library's options, makes one library call and prints the
 * result. Not a library API: classes are public only where the subcommand packages need them.
 */
package org.ebm4j.cli;
