package org.ebm4j.dbn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ebm4j.rbm.LearningRateSchedule;

/**
 * Discriminative fine-tuning by minibatch SGD on the mean cross-entropy:
 * {@code vel = momentum * vel - lr * (grad + weightDecay * W)}, {@code param += vel} (biases are not
 * decayed).
 *
 * @param learningRate base rate ({@code > 0})
 * @param schedule     the rate per epoch
 * @param momentum     in {@code [0, 1)}
 * @param weightDecay  L2 coefficient on the weights ({@code >= 0})
 * @param batchSize    examples per update ({@code >= 1})
 * @param epochs       passes over the data ({@code >= 0}; 0 skips fine-tuning)
 * @param seed         seed of the shuffling and output-layer initialization streams
 * @param outputStd    standard deviation of the initial output-layer weights (and of every layer's
 *                     weights for a randomly initialized network)
 */
public record FineTuneConfig(double learningRate, LearningRateSchedule schedule, double momentum, double weightDecay,
                             int batchSize, int epochs, long seed, double outputStd) {
    public FineTuneConfig {
        if (schedule == null) {
            schedule = LearningRateSchedule.constant();
        }
        require(learningRate > 0 && Double.isFinite(learningRate), "fine-tuning learning rate must be finite and > 0, "
                + "found " + learningRate);
        require(momentum >= 0 && momentum < 1, "fine-tuning momentum must be in [0, 1), found " + momentum);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "fine-tuning weight decay must be finite and >= 0, "
                + "found " + weightDecay);
        require(batchSize >= 1, "fine-tuning batch size must be >= 1, found " + batchSize);
        require(epochs >= 0, "fine-tuning epochs must be >= 0, found " + epochs);
        require(outputStd >= 0 && Double.isFinite(outputStd), "initial weight std must be finite and >= 0, found "
                + outputStd);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public double learningRate(int epoch) {
        return schedule.rate(learningRate, epoch, epochs);
    }

    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("finetune.lr", Double.toString(learningRate));
        m.put("finetune.lr_schedule", schedule.toString());
        m.put("finetune.momentum", Double.toString(momentum));
        m.put("finetune.weight_decay", Double.toString(weightDecay));
        m.put("finetune.batch", Integer.toString(batchSize));
        m.put("finetune.epochs", Integer.toString(epochs));
        m.put("finetune.seed", Long.toString(seed));
        m.put("finetune.init_std", Double.toString(outputStd));
        return m;
    }

    public static FineTuneConfig fromMetadata(Map<String, String> m) {
        try {
            return new FineTuneConfig(Double.parseDouble(get(m, "finetune.lr")),
                    LearningRateSchedule.parse(get(m, "finetune.lr_schedule")),
                    Double.parseDouble(get(m, "finetune.momentum")), Double.parseDouble(get(m, "finetune.weight_decay")),
                    Integer.parseInt(get(m, "finetune.batch")), Integer.parseInt(get(m, "finetune.epochs")),
                    Long.parseLong(get(m, "finetune.seed")), Double.parseDouble(get(m, "finetune.init_std")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed fine-tuning configuration in metadata: " + e.getMessage());
        }
    }

    private static String get(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("metadata lacks '" + key + "' (the fine-tuning configuration)");
        }
        return v;
    }
}
