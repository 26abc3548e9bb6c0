package org.ebm4j.train;

import java.util.Objects;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;

/**
 * The optimizer's state for one parameter tensor and the step it takes. A trainer accumulates its
 * ascent gradient into {@link #target()} as {@code target = keep() * target + gradientScale(lr) *
 * grad} (one GEMM or column sum with {@code beta = keep()} for the first term, {@code beta = 1} for
 * the others), then calls {@link #apply}, which adds the step to the parameter and leaves that step
 * in {@link #target()} (a trainer that reparameterizes, as centering does, needs it). Workspaces are
 * allocated once; {@link #save}/{@link #restore} carry the state through checkpoints so a resumed run
 * is bit-identical.
 */
public abstract sealed class ParameterUpdate implements AutoCloseable {
    final Tensor parameter;
    final String name;
    final Backend backend;
    final Tensor target;

    private ParameterUpdate(Tensor parameter, String name) {
        this.parameter = Objects.requireNonNull(parameter, "parameter");
        this.name = Objects.requireNonNull(name, "name");
        this.backend = parameter.backend();
        this.target = backend.allocate(parameter.rows(), parameter.cols());
    }

    /** Where the gradient is accumulated; after {@link #apply}, the step that was added to the parameter. */
    public final Tensor target() {
        return target;
    }

    /** The factor of the first gradient term's {@code beta}: what is kept of {@link #target()}. */
    public abstract float keep();

    /** The factor of each gradient term at learning rate {@code lr}. */
    public abstract float gradientScale(float lr);

    /** Adds the step at learning rate {@code lr} to the parameter. */
    public abstract void apply(float lr);

    /**
     * Adds {@code decay * parameter} to the gradient in {@link #target()} (nothing when {@code decay}
     * is 0), then takes the step at learning rate {@code lr}: {@code axpy} then {@link #apply}, which
     * momentum SGD does in one backend pass ({@link org.ebm4j.tensor.Backend#momentumStep}).
     */
    public void applyWithDecay(float decay, float lr) {
        if (decay != 0f) {
            backend.axpy(decay, parameter, target);
        }
        apply(lr);
    }

    /**
     * Takes the step for a gradient {@code grad} computed beforehand (shaped like the parameter) with L2
     * weight decay: {@code target = keep() * target + gradientScale(lr) * direction * grad}, then
     * {@link #applyWithDecay} with {@code -gradientScale(lr) * weightDecay}, so the decay pulls the
     * parameter toward 0 at the learning rate under either optimizer.
     *
     * @param direction 1 for an ascent gradient (of a log-likelihood), -1 for the gradient of a loss
     */
    public void step(float direction, Tensor grad, double weightDecay, float lr) {
        float g = gradientScale(lr);
        backend.scale(keep(), target, target);
        backend.axpy(direction * g, grad, target);
        applyWithDecay(weightDecay > 0 ? (float) (-g * weightDecay) : 0f, lr);
    }

    /**
     * Accumulates the gradient {@code dataScale * columnSums(data) + modelScale * columnSums(model)}
     * into {@link #target()} (the first term with {@code beta = }{@link #keep()}), then takes the step
     * at learning rate {@code lr}: a bias's update from its data and model statistics, which momentum
     * SGD does in one backend call ({@link org.ebm4j.tensor.Backend#biasMomentumStep}).
     */
    public void applyColumnSums(Tensor data, float dataScale, Tensor model, float modelScale, float lr) {
        backend.columnSums(data, dataScale, keep(), target);
        backend.columnSums(model, modelScale, 1f, target);
        apply(lr);
    }

    /** Adds this update's state to a checkpoint. */
    public abstract void save(TrainingState.Builder state);

    /** Restores the state {@link #save} wrote. */
    public abstract void restore(TrainingState state);

    @Override
    public void close() {
        target.close();
    }

    /** Momentum SGD: the target is the velocity. */
    static final class Momentum extends ParameterUpdate {
        private final float momentum;

        Momentum(Tensor parameter, String name, float momentum) {
            super(parameter, name);
            this.momentum = momentum;
        }

        @Override
        public float keep() {
            return momentum;
        }

        @Override
        public float gradientScale(float lr) {
            return lr;
        }

        @Override
        public void apply(float lr) {
            backend.axpy(1f, target, parameter);
        }

        @Override
        public void applyWithDecay(float decay, float lr) {
            backend.momentumStep(decay, target, parameter);
        }

        @Override
        public void applyColumnSums(Tensor data, float dataScale, Tensor model, float modelScale, float lr) {
            backend.biasMomentumStep(data, dataScale, model, modelScale, momentum, target, parameter);
        }

        @Override
        public void save(TrainingState.Builder state) {
            state.array("velocity." + name, target.rows(), target.cols(), target.toArray());
        }

        @Override
        public void restore(TrainingState state) {
            target.copyFrom(state.array("velocity." + name, target.rows(), target.cols()));
        }
    }

    /**
     * Adam, on the host: the backend has no square root or division, and one host pass per update
     * costs about as much as the elementwise kernels would for the model sizes trained here. The moments
     * are floats, updated in double precision.
     */
    static final class Adam extends ParameterUpdate {
        static final double BETA1 = 0.9;
        static final double BETA2 = 0.999;
        static final double EPS = 1e-8;
        private final float[] m;
        private final float[] s;
        private final float[] grad;
        private final float[] param;
        private long t;

        Adam(Tensor parameter, String name) {
            super(parameter, name);
            int n = parameter.size();
            m = new float[n];
            s = new float[n];
            grad = new float[n];
            param = new float[n];
        }

        @Override
        public float keep() {
            return 0f;
        }

        @Override
        public float gradientScale(float lr) {
            return 1f;
        }

        @Override
        public void apply(float lr) {
            t++;
            double c1 = 1 - Math.pow(BETA1, t);
            double c2 = 1 - Math.pow(BETA2, t);
            target.copyTo(grad);
            parameter.copyTo(param);
            for (int i = 0; i < grad.length; i++) {
                double g = grad[i];
                m[i] = (float) (BETA1 * m[i] + (1 - BETA1) * g);
                s[i] = (float) (BETA2 * s[i] + (1 - BETA2) * g * g);
                float step = (float) (lr * (m[i] / c1) / (Math.sqrt(s[i] / c2) + EPS));
                grad[i] = step;
                param[i] += step;
            }
            target.copyFrom(grad);
            parameter.copyFrom(param);
        }

        @Override
        public void save(TrainingState.Builder state) {
            state.array("adam.m." + name, target.rows(), target.cols(), m.clone());
            state.array("adam.s." + name, target.rows(), target.cols(), s.clone());
            state.counter("adam.t." + name, t);
        }

        @Override
        public void restore(TrainingState state) {
            float[] mm = state.array("adam.m." + name, target.rows(), target.cols());
            float[] ss = state.array("adam.s." + name, target.rows(), target.cols());
            long tt = state.counter("adam.t." + name);
            System.arraycopy(mm, 0, m, 0, m.length);
            System.arraycopy(ss, 0, s, 0, s.length);
            t = tt;
        }
    }
}
