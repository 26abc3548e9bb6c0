/**
 * The {@code ebm dbn} commands: train deep belief networks (pretraining, then fine-tuning), sample
 * from them and evaluate their classification error, on labelled MNIST data. Not a library API.
 */
package org.ebm4j.cli.dbn;
