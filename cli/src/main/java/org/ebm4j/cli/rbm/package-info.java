/**
 * The {@code ebm rbm} commands (train, sample, evaluate restricted Boltzmann machines) and what the
 * DBN commands reuse from them: where the data comes from and the pictures of a model. Not a
 * library API.
 */
package org.ebm4j.cli.rbm;
