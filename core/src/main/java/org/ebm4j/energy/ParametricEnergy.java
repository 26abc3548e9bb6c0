package org.ebm4j.energy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * What the trainable energies of this package share: the backend, dimension and kind they report;
 * their parameters, allocated here in order under their names and closed with the energy; the
 * settings a model file stores to rebuild them; and one workspace per batch row count.
 *
 * @param <W> the per-row-count workspace of the energy's passes
 */
abstract class ParametricEnergy<W extends AutoCloseable> implements TrainableEnergy {
    /** Row counts whose workspaces stay live: the HMC chains, a data batch, the negatives, one more. */
    private static final int LIVE_WORKSPACES = 4;

    final Backend backend;
    private final int dimension;
    private final String kind;
    private final List<Tensor> parameters = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Boolean> decaying = new ArrayList<>();
    private final RowWorkspaces<W> workspaces = new RowWorkspaces<>(LIVE_WORKSPACES, this::newWorkspace);

    /** Allocates nothing: a subclass checks its settings, then allocates its {@link #parameter}s. */
    ParametricEnergy(Backend backend, int dimension, String kind) {
        this.backend = backend;
        this.dimension = dimension;
        this.kind = kind;
    }

    // ---- the parameters and the backend they live on -------------------------------------------

    @Override
    public final Backend backend() {
        return backend;
    }

    /**
     * A zero {@code rows x cols} parameter named {@code name}, next in {@link #parameters()}; {@code decays}
     * says whether it takes weight decay ({@link #decays}).
     */
    final Tensor parameter(String name, int rows, int cols, boolean decays) {
        Tensor t = backend.allocate(rows, cols);
        parameters.add(t);
        names.add(name);
        decaying.add(decays);
        return t;
    }

    @Override
    public final List<Tensor> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    @Override
    public final List<String> parameterNames() {
        return Collections.unmodifiableList(names);
    }

    /** Whether parameter {@code i} takes weight decay, as declared when it was allocated. */
    @Override
    public final boolean decays(int i) {
        return decaying.get(i);
    }

    // ---- passes: positions of the energy's dimension, one workspace per row count ---------------

    @Override
    public final int dimension() {
        return dimension;
    }

    /** A workspace for passes over {@code rows} rows at once. */
    abstract W newWorkspace(int rows);

    /** The workspace for {@code rows} rows, built on first use. */
    final W workspace(int rows) {
        return workspaces.get(rows);
    }

    /** The workspace of an {@link #energyAndGradient} call whose arguments {@code op} has checked. */
    final W checkedWorkspace(String op, Tensor q, Tensor energy, Tensor gradient) {
        checkOutputs(op, q, energy, gradient);
        return workspace(q.rows());
    }

    // ---- what a model file stores: the kind and the settings that rebuild the energy ------------

    @Override
    public final String kind() {
        return kind;
    }

    /** Adds the settings of the energy's family after {@code visible}, in the order its files list them. */
    abstract void putSettings(Map<String, String> settings);

    /** The settings a model file stores to rebuild this energy: {@code visible} (the dimension), then its own. */
    public final Map<String, String> config() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("visible", Integer.toString(dimension));
        putSettings(m);
        return m;
    }

    /** Closes the workspaces, then the parameters; a subclass that derives more tensors closes them after. */
    @Override
    public void close() {
        workspaces.close();
        for (Tensor t : parameters) {
            t.close();
        }
    }
}
