/** The {@code ebm conditional} commands: conditional energies trained with the losses of LeCun's table. */
package org.ebm4j.cli.conditional;
