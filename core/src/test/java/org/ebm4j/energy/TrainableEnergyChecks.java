package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/** The argument checks every {@link TrainableEnergy} of dimension 2 shares, with its exact messages. */
final class TrainableEnergyChecks {

    /** Further refusals of one energy, given the well-shaped positions, row weights and gradients. */
    interface MoreChecks {
        void run(Tensor x, Tensor weights, List<Tensor> grads);
    }

    private TrainableEnergyChecks() {
    }

    /**
     * Calls the energy and the parameter gradient with a position of the wrong width, row weights and
     * an energy of the wrong height: each is refused naming {@code kind} and the operation, and the
     * refused gradient calls accumulate nothing. Then runs {@code more}.
     */
    static void assertRefusesMisshapedArguments(Backend b, TrainableEnergy energy, String kind, MoreChecks more) {
        try (Tensor x = b.allocate(4, 2);
             Tensor narrow = b.allocate(4, 3);
             Tensor shortEnergy = b.allocate(3, 1);
             Tensor weights = b.allocate(4, 1);
             Tensor shortWeights = b.allocate(3, 1)) {
            List<Tensor> grads = new ArrayList<>();
            for (Tensor p : energy.parameters()) {
                grads.add(b.allocate(p.rows(), p.cols()));
            }
            try {
                String op = kind + ".accumulateParameterGradient";
                assertEquals(op + ": positions must have 2 columns (the energy's dimension) but are 4x3",
                        assertThrows(IllegalArgumentException.class,
                                () -> energy.accumulateParameterGradient(narrow, weights, grads)).getMessage());
                assertEquals(op + ": rowWeights must be 4x1 but is 3x1", assertThrows(IllegalArgumentException.class,
                        () -> energy.accumulateParameterGradient(x, shortWeights, grads)).getMessage());
                assertEquals(kind + ": energy must be 4x1 but is 3x1", assertThrows(
                        IllegalArgumentException.class, () -> energy.energy(x, shortEnergy)).getMessage());
                for (Tensor g : grads) {
                    assertArrayEquals(new float[g.size()], g.toArray(), "nothing accumulated by a refused call");
                }
                more.run(x, weights, grads);
            } finally {
                grads.forEach(Tensor::close);
            }
        }
    }
}
