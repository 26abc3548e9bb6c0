package org.ebm4j.rbm;

import org.ebm4j.data.Dataset;

/**
 * What {@link Rbm#sampleTempered} and {@link org.ebm4j.dbm.Dbm#sampleTempered} return: the samples of
 * the replicas at temperature 1 and how often neighbouring temperatures exchanged their states.
 *
 * @param samples   the visible means {@code E[v | h]} of the chains at {@code beta = 1}, in the data's units
 * @param betas     the inverse temperatures used
 * @param swapRates the accepted fraction of swaps per pair {@code (r, r + 1)}
 */
public record TemperedSamples(Dataset samples, double[] betas, double[] swapRates) {
    public TemperedSamples {
        betas = betas.clone();
        swapRates = swapRates.clone();
    }
}
