package org.ebm4j.energy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.Optimizer;
import org.ebm4j.train.ParameterUpdate;
import org.ebm4j.train.TrainingState;

/**
 * The parameter step of the gradient-trained energies: L2 weight decay on the parameters that take it,
 * optional rescaling of the whole gradient to a maximum norm, then momentum,
 * <pre>
 *   g = dL/dtheta + weightDecay * theta;   v = momentum * v - rate * g;   theta += v
 * </pre>
 * or, for the sign rule, {@code v = momentum v + (1 - momentum) g; theta -= rate sign(v)}, or Adam on
 * {@code g} ({@link Optimizer#ADAM}, through {@link ParameterUpdate}; no momentum). The velocities live on
 * the backend and are part of a trainer's checkpoint ({@link #velocities()}; Adam's moments under the
 * names {@link ParameterUpdate} gives them).
 */
public final class MomentumUpdate implements AutoCloseable {
    private final Backend backend;
    private final List<Tensor> velocities = new ArrayList<>();
    private final double momentum;
    private final boolean sign;
    private final List<ParameterUpdate> adam = new ArrayList<>();

    /** Zero velocities shaped like {@code parameters}. */
    public MomentumUpdate(Backend backend, List<Tensor> parameters, double momentum, boolean sign) {
        this(backend, parameters, List.of(), momentum, sign, Optimizer.SGD);
    }

    /**
     * Momentum (or the sign rule) as {@link #MomentumUpdate(Backend, List, double, boolean)}, or with
     * {@link Optimizer#ADAM} zero moments per parameter, stored under {@code names} (one per parameter).
     *
     * @throws IllegalArgumentException for Adam with the sign rule, which are two different steps
     */
    public MomentumUpdate(Backend backend, List<Tensor> parameters, List<String> names, double momentum, boolean sign,
                          Optimizer optimizer) {
        this.backend = backend;
        this.momentum = momentum;
        this.sign = sign;
        if (optimizer == Optimizer.ADAM) {
            if (sign) {
                throw new IllegalArgumentException("the sign rule and Adam are two different steps; choose one");
            }
            for (int i = 0; i < parameters.size(); i++) {
                adam.add(optimizer.update(parameters.get(i), names.get(i), 0));
            }
            return;
        }
        for (Tensor p : parameters) {
            velocities.add(backend.allocate(p.rows(), p.cols()));  // zero-filled
        }
    }

    /** The velocity per parameter, in the parameters' order. */
    public List<Tensor> velocities() {
        return velocities;
    }

    /**
     * One step. {@code grads} are consumed (decay is added to them; the sign rule overwrites them).
     *
     * @param decays which parameters take weight decay, by index
     * @param maxGradientNorm the whole gradient's norm is capped here (infinity: no cap)
     */
    public void apply(List<Tensor> params, List<Tensor> grads, IntPredicate decays, double weightDecay,
                      double learningRate, double maxGradientNorm) {
        double squaredNorm = 0;
        for (int i = 0; i < params.size(); i++) {
            if (weightDecay > 0 && decays.test(i)) {
                backend.axpy((float) weightDecay, params.get(i), grads.get(i));
            }
            if (maxGradientNorm < Double.POSITIVE_INFINITY) {
                squaredNorm += backend.dot(grads.get(i), grads.get(i));
            }
        }
        double norm = Math.sqrt(squaredNorm);
        float rate = (float) (norm > maxGradientNorm ? learningRate * maxGradientNorm / norm : learningRate);
        for (int i = 0; i < adam.size(); i++) {
            adam.get(i).step(-1f, grads.get(i), 0, rate);
        }
        for (int i = 0; i < velocities.size(); i++) {
            Tensor v = velocities.get(i);
            Tensor g = grads.get(i);
            backend.scale((float) momentum, v, v);
            if (sign) {
                backend.axpy((float) (1 - momentum), g, v);
                backend.threshold(v, 0f, -1f, 1f, g); // sign(v); the gradient is no longer needed
                backend.axpy(-rate, g, params.get(i));
            } else {
                backend.axpy(-rate, g, v);
                backend.axpy(1f, v, params.get(i));
            }
        }
    }

    /** Stores the velocities as arrays {@code velocity.NAME}, one per parameter name (or Adam's moments). */
    public void save(TrainingState.Builder state, List<String> names) {
        adam.forEach(u -> u.save(state));
        for (int i = 0; i < velocities.size(); i++) {
            Tensor v = velocities.get(i);
            state.array("velocity." + names.get(i), v.rows(), v.cols(), v.toArray());
        }
    }

    /**
     * Reads the arrays {@link #save} stored, checking their shapes, without touching the velocities (so a
     * failed restore changes nothing); {@link #load} puts them in place.
     */
    public List<float[]> read(TrainingState state, List<String> names) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < velocities.size(); i++) {
            Tensor t = velocities.get(i);
            out.add(state.array("velocity." + names.get(i), t.rows(), t.cols()));
        }
        return out;
    }

    /**
     * The whole state of a trainer that is an update counter and these velocities: counter
     * {@code iteration} and the arrays of {@link #save(TrainingState.Builder, List)}.
     */
    public void save(TrainingState.Builder state, List<String> names, long iteration) {
        state.counter("iteration", iteration);
        save(state, names);
    }

    /**
     * Restores what {@link #save(TrainingState.Builder, List, long)} stored and returns the update counter.
     * Momentum SGD reads every velocity before setting any (so a failed restore changes nothing); with
     * Adam, each parameter's moments are restored in turn (a state that lacks one fails after the moments
     * before it were set).
     */
    public long restore(TrainingState state, List<String> names) {
        long iteration = state.counter("iteration");
        if (adam.isEmpty()) {
            load(read(state, names));
        }
        adam.forEach(u -> u.restore(state));
        return iteration;
    }

    /** Sets the velocities to what {@link #read} returned. */
    public void load(List<float[]> values) {
        for (int i = 0; i < velocities.size(); i++) {
            velocities.get(i).copyFrom(values.get(i));
        }
    }

    @Override
    public void close() {
        velocities.forEach(Tensor::close);
        adam.forEach(ParameterUpdate::close);
    }
}
