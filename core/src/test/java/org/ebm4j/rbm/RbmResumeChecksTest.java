package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.data.Dataset;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.reference.ReferenceBackend;
import org.ebm4j.testing.NoLeakedTensors;
import org.ebm4j.train.Checkpointing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a resume checks about the test set a run held its rows out of, and what reading the options of a
 * file without provenance says; each run here is one epoch of a 5 x 3 model on 30 rows.
 */
@ExtendWith(NoLeakedTensors.class)
class RbmResumeChecksTest {
    private final Backend backend = new ReferenceBackend();

    @TempDir
    Path dir;

    @Test
    void aRunThatHeldOutTestRowsNeedsThatTestSetBack() throws IOException {
        Dataset data = RbmFitTest.grey("grey", 30, 5, 1);
        Dataset test = RbmFitTest.grey("test", 12, 5, 2);
        Dataset other = RbmFitTest.grey("other", 12, 5, 3);
        RbmOptions o = RbmOptions.builder().hidden(3).holdout(6).chains(4).batchSize(8).epochs(1).build();
        Path ckpt = dir.resolve("c.ebm");
        Rbm.fit(backend, data, test, o, Checkpointing.every(ckpt, 1)).close();
        assertEquals(o, Rbm.checkResumable(ckpt, data, test, null));
        assertEquals(ckpt + " held out rows of the test set test; pass it to resume", assertThrows(
                IllegalArgumentException.class, () -> Rbm.checkResumable(ckpt, data, null, null)).getMessage());
        String wrong = assertThrows(IllegalArgumentException.class,
                () -> Rbm.checkResumable(ckpt, data, other, null)).getMessage();
        assertEquals("test data other (12x5, sha256 " + other.sha256() + ") is not the test data " + ckpt
                + " was trained on (test, 12x5, sha256 " + test.sha256() + ")", wrong.substring(0,
                wrong.indexOf(")", wrong.indexOf("trained on")) + 1));
    }

    @Test
    void aModelWithoutProvenanceHasNoOptionsToRead() throws IOException {
        Path file = dir.resolve("bare.ebm");
        try (Rbm bare = Rbm.zeros(backend, VisibleType.BERNOULLI, 2, 2)) {
            bare.save(file);
        }
        assertEquals(file + ": records no RBM options (it was not written by Rbm.fit or predates provenance)",
                assertThrows(ModelFormatException.class, () -> Rbm.readOptions(file)).getMessage());
    }
}
