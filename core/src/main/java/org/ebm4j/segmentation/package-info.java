/**
 * A latent-segmentation recognizer, a graph transformer network in miniature (LeCun's EBM lecture):
 * {@code x} an image of a string of digits with unknown boundaries, {@code y} the digit sequence,
 * {@code z} a path in the segmentation graph over candidate cut columns. The energy of a path is the sum
 * of a conditional segment energy {@code F(window, digit)} over its segments;
 * {@code F(x, y) = min_z E(x, y, z)} (or the free energy at beta) by dynamic programming on a
 * {@link org.ebm4j.segmentation.Lattice}, inference {@code (y*, z*) = argmin E(x, y, z)}, training with
 * the perceptron, LVQ2 and NLL losses ({@link org.ebm4j.segmentation.SegmentationModel#fit}). The data
 * are strings composed from MNIST digits by {@link org.ebm4j.segmentation.DigitStrings}. Public API.
 */
package org.ebm4j.segmentation;
