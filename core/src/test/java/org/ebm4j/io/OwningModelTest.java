package org.ebm4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OwningModelTest {
    /**
     * The smallest model that owns something: a float array, released by counting. Its file is written
     * from its own reference to the values, so only {@code toModelFile}'s check refuses a closed model.
     */
    private static final class Toy extends OwningModel<float[]> {
        private final float[] values;

        Toy(float[] owned, Provenance provenance, Runnable release) {
            super(owned, provenance, "toy model", release);
            this.values = owned;
        }

        @Override
        protected ModelFile modelFile(Provenance provenance) {
            return new ModelFile().putMetadata(provenance.toMetadata()).putTensor("w", 1, values.length, values);
        }

        float first() {
            return owned()[0];
        }
    }

    @Test
    void anOpenModelWritesItsFileWithItsProvenanceAndAClosedOneRefusesEveryUse() {
        AtomicInteger released = new AtomicInteger();
        Provenance p = Provenance.builder().model("toy").seed(3).build();
        Toy toy = new Toy(new float[] {4f, 5f}, p, released::incrementAndGet);
        assertSame(p, toy.provenance());
        ModelFile f = toy.toModelFile();
        assertEquals("3", f.metadata().get("provenance.seed"));
        assertArrayEquals(new float[] {4f, 5f}, f.tensors().get("w").data());
        assertEquals(4f, toy.first());

        toy.close();
        assertEquals(1, released.get());
        toy.close();
        assertEquals(1, released.get(), "close is idempotent: what the model owns is released once");
        assertEquals("this toy model is closed", assertThrows(IllegalStateException.class, toy::toModelFile)
                .getMessage());
        assertEquals("this toy model is closed", assertThrows(IllegalStateException.class, toy::first).getMessage());
        assertSame(p, toy.provenance(), "the provenance stays readable");
    }

    /** A model that fails while being built releases its fresh parameters; one that is built does not. */
    @Test
    void releasingOnFailureReleasesOnlyWhenTheBuildThrows() {
        AtomicInteger released = new AtomicInteger();
        Provenance p = Provenance.builder().build();
        Toy built = OwningModel.releasingOnFailure(released::incrementAndGet,
                () -> new Toy(new float[1], p, released::incrementAndGet));
        assertEquals(0, released.get());
        IllegalArgumentException failure = new IllegalArgumentException("bad options");
        assertSame(failure, assertThrows(IllegalArgumentException.class,
                () -> OwningModel.releasingOnFailure(released::incrementAndGet, () -> {
                    throw failure;
                })));
        assertEquals(1, released.get());
        built.close();
        assertEquals(2, released.get());
    }
}
