/** The {@code ebm chain} commands: chain factor graphs (energy-based, Viterbi-decoded) over sequences. */
package org.ebm4j.cli.chain;
