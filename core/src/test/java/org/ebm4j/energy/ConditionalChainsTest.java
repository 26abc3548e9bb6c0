package org.ebm4j.energy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ebm4j.random.RandomStream;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.testing.PlainSoftplusNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ConditionalChains}' edge cases: no trajectories, and rows of another count. */
@ExtendWith(NoLeakedTensors.class)
class ConditionalChainsTest {
    private static final PlainSoftplusNetwork PLAIN = new PlainSoftplusNetwork(2, 3, 0.2);

    @Test
    void noTrajectoriesLeaveTheRowsAndReportFullAcceptance() {
        Backend b = new ReferenceBackend();
        float[] rows = {0.5f, -1, 2, 0.25f};
        try (EnergyNetwork net = PLAIN.network(b, PLAIN.randomParameters(3));
             ConditionalChains chains = new ConditionalChains(net, 2);
             Tensor x = b.fromArray(rows, 2, 2); Tensor observed = b.fromArray(new float[] {1, 0, 0, 1}, 2, 2)) {
            assertEquals(1.0, chains.move(x, observed, 0.1f, 3, 0, new RandomStream(1)));
            assertArrayEquals(rows, x.toArray());
        }
    }

    @Test
    void rowsOfAnotherCountAreRefusedByName() {
        Backend b = new ReferenceBackend();
        try (EnergyNetwork net = PLAIN.network(b, PLAIN.randomParameters(3));
             ConditionalChains chains = new ConditionalChains(net, 3);
             Tensor x = b.allocate(2, 2); Tensor observed = b.allocate(2, 2)) {
            assertEquals("ConditionalChains.move: x is 2x2 but chains is 3x2; they must have the same shape",
                    assertThrows(IllegalArgumentException.class,
                            () -> chains.move(x, observed, 0.1f, 3, 1, new RandomStream(1))).getMessage());
        }
    }
}
