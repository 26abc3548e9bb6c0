package org.ebm4j.rbm;

/**
 * The offsets of a centered RBM ({@link CenteredParameters}) as training left them: moving averages
 * of the data's visible means ({@code mu}) and of the hidden probabilities given the data
 * ({@code lambda}).
 *
 * @param visible {@code mu}, one value per visible unit
 * @param hidden  {@code lambda}, one value per hidden unit
 */
public record CenteringOffsets(float[] visible, float[] hidden) {
    public CenteringOffsets {
        visible = visible.clone();
        hidden = hidden.clone();
    }

    @Override
    public float[] visible() {
        return visible.clone();
    }

    @Override
    public float[] hidden() {
        return hidden.clone();
    }
}
