package org.ebm4j.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model files and checkpoints written before an option existed still read their options. */
class RbmOptionsCompatTest {

    private static final List<String> ADDED_LATER = List.of("replicas", "betas", "optimizer", "centering",
            "patience", "max_rollbacks");

    @Test
    void optionsWithoutTheLaterKeysReadWithTheirDefaults() {
        RbmOptions o = RbmOptions.builder().hidden(7).epochs(3).momentum(0.3).build();
        Map<String, String> older = new LinkedHashMap<>(o.toMap());
        ADDED_LATER.forEach(older::remove);
        assertEquals(o, RbmOptions.fromMap(older));
    }

    @Test
    void aKeyThatEveryFileHasIsStillRequired() {
        Map<String, String> broken = new LinkedHashMap<>(RbmOptions.builder().build().toMap());
        broken.remove("hidden");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RbmOptions.fromMap(broken));
        assertTrue(e.getMessage().contains("hidden"), e.getMessage());
    }
}
