/**
 * The {@code ebm dbm} commands: train deep Boltzmann machines (greedy pretraining, then joint
 * mean-field training), evaluate their log partition function and log-likelihood bound, and sample
 * from them, on MNIST (the embedded images by default). Not a library API.
 */
package org.ebm4j.cli.dbm;
