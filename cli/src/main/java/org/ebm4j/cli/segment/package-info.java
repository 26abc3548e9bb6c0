/** The {@code ebm segment} commands: the latent-segmentation recognizer of digit strings. */
package org.ebm4j.cli.segment;
