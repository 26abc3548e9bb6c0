package org.ebm4j.tensor.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;
import org.junit.jupiter.api.Test;

/**
 * The contract every backend passes. A backend module runs it by subclassing:
 *
 * <pre>{@code
 * class CpuBackendContractTest extends BackendContract {
 *     @Override
 *     protected Backend createBackend() {
 *         return new CpuBackendProvider().create();
 *     }
 * }
 * }</pre>
 *
 * with the {@code ebm4j-core} test-jar as a test dependency. The backend is created once per
 * test class and closed after it.
 *
 * <p>The tests live in the superclasses ({@link TensorOpsContract}, {@link SamplerContract},
 * {@link ArgumentContract}); each is tagged with the operations it checks ({@link Covers}), and
 * {@link #everyOpHasAContractTest()} fails when an operation of {@link Backend} or
 * {@link Sampler} has no test, so an operation added to the SPI without a contract test fails
 * the build.
 */
public abstract class BackendContract extends ArgumentContract {
    /** The number of operations in Backend and Sampler; update with a new op and its contract test. */
    public static final int OPERATION_COUNT = 36;

    /**
     * Methods of the SPI that are not operations on tensors ({@code runStep} runs a step of them: its
     * contract test is {@code TensorOpsContract.runStepGivesWhatRunningTheStepGives}).
     */
    private static final Set<String> NOT_OPERATIONS = Set.of("name", "describe", "sampler", "close", "runStep");

    /** Operation name to declaring interface: the abstract and default methods of Backend and Sampler, less the non-ops. */
    public static Map<String, Class<?>> operations() {
        Map<String, Class<?>> ops = new TreeMap<>();
        for (Class<?> spi : List.of(Backend.class, Sampler.class)) {
            for (Method m : spi.getDeclaredMethods()) {
                // Default methods count too: a default implementation is still an operation every
                // backend must honour, and it needs its contract test like any other.
                boolean operation = Modifier.isAbstract(m.getModifiers()) || m.isDefault();
                if (!operation || Modifier.isStatic(m.getModifiers()) || NOT_OPERATIONS.contains(m.getName())) {
                    continue;
                }
                Class<?> previous = ops.put(m.getName(), spi);
                if (previous != null && previous != spi) {
                    throw new IllegalStateException("operation name " + m.getName() + " is declared by both "
                            + previous.getSimpleName() + " and " + spi.getSimpleName() + "; @Covers cannot tell them apart");
                }
            }
        }
        return ops;
    }

    @Test
    void everyOpHasAContractTest() {
        Map<String, Class<?>> ops = operations();
        Set<String> covered = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Class<?> k = getClass(); k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                Covers covers = m.getAnnotation(Covers.class);
                if (covers == null) {
                    continue;
                }
                if (!m.isAnnotationPresent(Test.class)) {
                    problems.add(k.getSimpleName() + "." + m.getName() + " has @Covers but is not a @Test");
                }
                for (String op : covers.value()) {
                    if (ops.containsKey(op)) {
                        covered.add(op);
                    } else {
                        problems.add(k.getSimpleName() + "." + m.getName() + " covers '" + op
                                + "', which is not an operation of Backend or Sampler");
                    }
                }
            }
        }
        for (Map.Entry<String, Class<?>> op : ops.entrySet()) {
            if (!covered.contains(op.getKey())) {
                problems.add(op.getValue().getSimpleName() + "." + op.getKey() + " has no contract test (@Covers(\""
                        + op.getKey() + "\"))");
            }
        }
        System.out.println("[contract] " + backend.name() + ": " + covered.size() + " of " + ops.size()
                + " operations covered by contract tests");
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        assertEquals(OPERATION_COUNT, ops.size(), "Backend and Sampler declare " + ops.size() + " operations "
                + ops.keySet() + "; the contract expects " + OPERATION_COUNT + ": add contract tests for the new ones and"
                + " update BackendContract.OPERATION_COUNT");
    }
}
