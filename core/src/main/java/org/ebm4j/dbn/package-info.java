/**
 * Deep belief networks: a stack of restricted Boltzmann machines pretrained greedily, layer by
 * layer, then unrolled into a feed-forward classifier with a softmax output and fine-tuned by
 * backpropagation, all through backend operations; with the settings and state of fine-tuning, the
 * network's model file and checkpoints, and classification results. Public API.
 */
package org.ebm4j.dbn;
