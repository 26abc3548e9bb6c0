package org.ebm4j.rbm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.ebm4j.data.Dataset;
import org.ebm4j.data.HoldOut;
import org.ebm4j.data.Standardization;
import org.ebm4j.io.ModelFormatException;
import org.ebm4j.io.Provenance;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Tensor;
import org.ebm4j.train.CheckpointWriter;
import org.ebm4j.train.Checkpointing;
import org.ebm4j.train.TrainingListener;
import org.ebm4j.train.TrainingRun;
import org.ebm4j.train.TrainingSafety;
import org.ebm4j.train.TrainingState;

/** What {@link Rbm#fit} and {@link Rbm#resume} do, step by step (see {@link Rbm#fit}). */
final class RbmFitting {
    /**
     * Options a resumed run may change: none alters what was trained so far (epochs only with a constant
     * rate); the early-stopping patience and the rollback budget only watch the epochs still to come.
     */
    private static final Set<String> RESUMABLE_CHANGES = Set.of("metrics_every", "epochs", "patience",
            "max_rollbacks");

    private RbmFitting() {
    }

    static Rbm fit(Backend backend, Dataset data, Dataset test, RbmOptions options, Checkpointing checkpointing,
                   List<TrainingListener> listeners) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(options, "options");
        options.requireMemory(data.cols());
        return train(backend, data, data.sha256(), test, test == null ? null : test.sha256(), options, checkpointing,
                listeners, null);
    }

    static Rbm resume(Checkpoint c, Dataset data, Dataset test, RbmOptions options, Backend backend,
                      Checkpointing checkpointing, List<TrainingListener> listeners) {
        RbmOptions effective = c.check(data, test, options);
        return train(backend, data, c.provenance().get("data.sha256"), test, c.provenance().get("test.sha256"),
                effective, checkpointing, listeners, c);
    }

    private static Rbm train(Backend backend, Dataset data, String dataSha, Dataset test, String testSha,
                             RbmOptions o, Checkpointing checkpointing, List<TrainingListener> listeners,
                             Checkpoint resume) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(checkpointing, "checkpointing");
        HoldOut split = HoldOut.split(data, test, o.holdout());
        Standardization st = o.standardize() ? Standardization.fit(split.train()) : null;
        Dataset train = st == null ? split.train() : st.apply(split.train());
        Dataset held = split.heldOut() == null || st == null ? split.heldOut() : st.apply(split.heldOut());
        try (Tensor trainT = train.toTensor(backend); Tensor heldT = held == null ? null : held.toTensor(backend)) {
            o.binarization().apply(trainT);
            if (heldT != null) {
                o.binarization().apply(heldT);
            }
            Rbm rbm = Rbm.forTraining(backend, o.visibleType(), train.cols(), o.hidden(), st, o.binarization(),
                    Rbm.columnMeans(trainT));
            boolean done = false;
            // The trainer gathers the PCD chains' first states from the binarized rows.
            try (RbmTrainer trainer = new RbmTrainer(rbm, o, trainT);
                 RbmEpochMetrics metrics = new RbmEpochMetrics(rbm, trainT, heldT)) {
                if (resume != null) {
                    rbm.setParameters(resume.model().parameters());
                } else {
                    RbmTrainer.initialize(rbm, o, trainT);
                }
                ProvenanceRecord record = new ProvenanceRecord(o, data, dataSha, test, testSha, backend);
                TrainingRun.run(trainer, resume == null ? null : resume.state(), () -> {
                    rbm.provenance(record.with(trainer.drawPositions()));
                    rbm.centering(trainer.centeringOffsets());
                    return rbm.toModelFile();
                }, f -> rbm.setParameters(snapshotParameters(f)), checkpointing, train.rows(),
                        TrainingRun.Metrics.every(o.metricsEvery(), () -> {
                            Map<String, Double> m = new LinkedHashMap<>(metrics.evaluate());
                            m.putAll(trainer.swapRates());
                            return m;
                        }), safety(o, heldT != null), listeners);
                rbm.provenance(record.with(trainer.drawPositions()));
                rbm.centering(trainer.centeringOffsets());
                done = true;
                return rbm;
            } finally {
                if (!done) {
                    rbm.close();
                }
            }
        }
    }

    /** The metric early stopping and divergence watch: the held-out pseudo-likelihood, where there is one. */
    static final String WATCHED_METRIC = "pseudo_likelihood_heldout";

    /** The parameters of a snapshot this run took of its own model (for a rollback or the best epoch). */
    private static RbmParameters snapshotParameters(org.ebm4j.io.ModelFile f) {
        try {
            return RbmModelFile.from(f, "training snapshot").parameters();
        } catch (ModelFormatException e) {
            throw new IllegalStateException("cannot read back the run's own snapshot: " + e.getMessage(), e);
        }
    }

    private static TrainingSafety safety(RbmOptions o, boolean heldOut) {
        boolean pl = heldOut && o.visibleType() == VisibleType.BERNOULLI;
        if (o.patience() > 0 && !pl) {
            throw new IllegalArgumentException("early stopping (patience " + o.patience() + ") watches the held-out "
                    + "pseudo-likelihood, which needs held-out rows (holdout > 0) and Bernoulli visibles; found holdout="
                    + o.holdout() + ", visible_type=" + o.visibleType().id());
        }
        return new TrainingSafety(pl ? WATCHED_METRIC : null, true, o.patience(), o.maxRollbacks(),
                TrainingSafety.DEFAULT_EXPLOSION);
    }

    /** The provenance of one run, completed by the random streams' positions when it is written. */
    private record ProvenanceRecord(RbmOptions options, Dataset data, String dataSha, Dataset test, String testSha,
                                    Backend backend) {
        Provenance with(Map<String, Long> draws) {
            Provenance.Builder b = Provenance.builder().model(RbmModelFile.MODEL_KIND).options(options.toMap())
                    .data(data.name(), data.rows(), data.cols(), dataSha);
            if (test != null) {
                b.put("test.source", test.name()).put("test.rows", Integer.toString(test.rows()))
                        .put("test.cols", Integer.toString(test.cols())).put("test.sha256", testSha);
            }
            return b.seed(options.seed()).backend(backend.name(), backend.describe()).draws(draws).build();
        }
    }

    /** A checkpoint read back, with the options and provenance it records. */
    record Checkpoint(RbmModelFile model, TrainingState state, Provenance provenance, RbmOptions options,
                      String source) {

        static Checkpoint read(Path path) throws IOException {
            CheckpointWriter.Checkpoint c = CheckpointWriter.read(path);
            String source = path.toString();
            RbmModelFile model = RbmModelFile.from(c.model(), source);
            return new Checkpoint(model, c.state(), Provenance.fromMetadata(model.metadata()), options(model, source),
                    source);
        }

        /** The options in {@code model}'s provenance. */
        static RbmOptions options(RbmModelFile model, String source) throws ModelFormatException {
            Provenance p = Provenance.fromMetadata(model.metadata());
            if (p.options().isEmpty()) {
                throw new ModelFormatException(source + ": records no RBM options (it was not written by Rbm.fit or "
                        + "predates provenance)");
            }
            try {
                return RbmOptions.fromMap(p.options());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(source + ": " + e.getMessage());
            }
        }

        /** The options a resumed run uses, after checking the options, the data and the state. */
        RbmOptions check(Dataset data, Dataset test, RbmOptions requested) {
            Objects.requireNonNull(data, "data");
            RbmOptions effective = requested == null ? options : compatible(requested);
            provenance.requireSameData("data", "data.", data, source);
            if (test == null && provenance.get("test.sha256") != null) {
                throw new IllegalArgumentException(source + " held out rows of the test set "
                        + provenance.get("test.source") + "; pass it to resume");
            }
            if (test != null) {
                if (provenance.get("test.sha256") == null) {
                    throw new IllegalArgumentException(source + " was trained without a test set but "
                            + test.name() + " is given");
                }
                provenance.requireSameData("test data", "test.", test, source);
            }
            state.checkFits(RbmTrainer.KIND, effective.epochs());
            return effective;
        }

        private RbmOptions compatible(RbmOptions requested) {
            Map<String, String> saved = options.toMap();
            Map<String, String> asked = requested.toMap();
            boolean constantRate = options.schedule().equals(LearningRateSchedule.constant());
            for (Map.Entry<String, String> e : saved.entrySet()) {
                String key = e.getKey();
                boolean may = RESUMABLE_CHANGES.contains(key) && (constantRate || !key.equals("epochs"));
                if (!may && !e.getValue().equals(asked.get(key))) {
                    throw new IllegalArgumentException(key + "=" + asked.get(key) + " here but the checkpoint " + source
                            + " was trained with " + key + "=" + e.getValue() + "; a resumed run keeps every option "
                            + "but metrics_every, patience, max_rollbacks and, with a constant learning rate, epochs");
                }
            }
            return requested;
        }
    }
}
