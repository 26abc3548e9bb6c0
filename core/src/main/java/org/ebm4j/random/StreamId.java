package org.ebm4j.random;

/**
 * Every random stream of the library, in one place, so that no two consumers of one run ever
 * draw the same words: a stream is a Philox counter block {@code (., ., ., id)} under the run's
 * seed, and two consumers with one id would see correlated numbers. Ranged entries cover
 * {@link #count()} consecutive ids ({@link #open(long, int)} picks one, for example per layer).
 * No code outside this enum writes a stream id as a number; the test of this enum fails when two
 * ranges overlap.
 *
 * <p>The ids are part of the reproducibility contract: changing one changes every result drawn
 * from it, so ids are only ever added.
 */
public enum StreamId {
    /** RBM training: Gibbs sampling of the negative phase. */
    RBM_SAMPLING(1),
    /** RBM training: the per-epoch data permutations. */
    RBM_SHUFFLE(2),
    /** RBM training: the initial weights. */
    RBM_INIT(3),
    /** RBM training: which data rows start the persistent chains. */
    RBM_CHAIN_INIT(4),
    /** RBM fantasy particles (sampling from a trained model). */
    RBM_FANTASY(5),
    /** Annealed importance sampling of an RBM's log partition function. */
    RBM_AIS(6),
    /** DBN: sampled inputs of each pretrained layer ({@code open(seed, layer)}). */
    DBN_LAYER_SAMPLE(0x100, 64),
    /** DBN fine-tuning: the per-epoch data permutations. */
    DBN_FINETUNE_SHUFFLE(12),
    /** DBN fine-tuning: the initial weights of the classifier's output layer. */
    DBN_FINETUNE_INIT(13),
    /** DBN generation: the top-level Gibbs chain and the down pass. */
    DBN_SAMPLE(15),
    /** Stochastic binarization of grey-level data. */
    BINARIZATION(0x0B1A),
    /** HMC sampling: momenta, jitter and Metropolis decisions. */
    HMC_SAMPLING(0x20),
    /** HMC: the initial positions of the chains. */
    HMC_INIT(0x21),
    /** HMC test targets: the random rotation of a {@code DenseGaussian}'s covariance. */
    HMC_GAUSSIAN(0x22),
    /** Energy-model training: negative samples (HMC momenta, Metropolis decisions, perturbations). */
    ENERGY_SAMPLING(0x30),
    /** Energy-model training: the per-epoch data permutations. */
    ENERGY_SHUFFLE(0x31),
    /** Energy-model training: the initial parameters. */
    ENERGY_INIT(0x32),
    /** Energy models: fantasy particles drawn from a trained model. */
    ENERGY_FANTASY(0x33),
    /** Energy models: the samples behind the evaluation of a trained model. */
    ENERGY_EVALUATION(0x34),
    /** Energy-model demonstrations: the points of the four squares and of the cluster grid. */
    ENERGY_DEMO_DATA(0x35),
    /** Energy-model training with missing entries: the conditional HMC that fills them in. */
    ENERGY_FILL(0x36),
    /** Energy models: the conditional HMC that completes the missing entries of a user's data. */
    ENERGY_COMPLETION(0x37),
    /** Energy-model training: the noise of the held-out rows' denoising score, drawn once a run. */
    ENERGY_HELDOUT(0x38),
    /** Boltzmann machine training: the Gibbs sweeps of both phases. */
    BM_SAMPLING(0x40),
    /** Boltzmann machine training: the per-epoch data permutations. */
    BM_SHUFFLE(0x41),
    /** Boltzmann machine: the initial couplings. */
    BM_INIT(0x42),
    /** Boltzmann machine: samples drawn from a trained machine. */
    BM_SAMPLE(0x43),
    /** Boltzmann machine training: the samples behind the per-epoch metrics (a block of draws per epoch). */
    BM_EVALUATION(0x44),
    /** Hopfield recall: the order of asynchronous updates and stochastic units. */
    HOPFIELD_RECALL(0x50),
    /** Hopfield: corruption of the cues. */
    HOPFIELD_CUES(0x51),
    /** Hopfield: random patterns ({@code open(seed, i)} for the i-th experiment). */
    HOPFIELD_PATTERNS(0x10000, 0x10000),
    /** Conditional-energy training: the per-epoch data permutations. */
    CONDITIONAL_SHUFFLE(0x60),
    /** Conditional-energy training: the contrastive answers drawn from {@code exp(-beta F)}. */
    CONDITIONAL_SAMPLING(0x61),
    /** Conditional-energy training: the initial parameters. */
    CONDITIONAL_INIT(0x62),
    /** Chain factor-graph training: the per-epoch sequence permutations. */
    STRUCTURED_SHUFFLE(0x63),
    /** Chain factor-graph training: the initial parameters. */
    STRUCTURED_INIT(0x64),
    /** Random-walk Metropolis sampling: the proposals and the accept decisions. */
    METROPOLIS_SAMPLING(0x65),
    /** Random-walk Metropolis: the initial positions of the chains. */
    METROPOLIS_INIT(0x66),
    /** Chain factor graphs: the labels and the rows of the sequences drawn from a grammar. */
    STRUCTURED_SEQUENCES(0x6C),
    /** DBM joint training: the persistent Gibbs chains of the negative phase. */
    DBM_SAMPLING(0xD0),
    /** DBM joint training: the per-epoch data permutations. */
    DBM_SHUFFLE(0xD1),
    /** DBM: the initial weights of each pair of layers ({@code open(seed, layer - 1)}). */
    DBM_INIT(0xD8, 8),
    /** DBM training: which data rows start the persistent chains. */
    DBM_CHAIN_INIT(0xD2),
    /** DBM greedy pretraining: Gibbs sampling of each layer's RBM (under {@code seed + layer}). */
    DBM_PRETRAIN_SAMPLING(0xD3),
    /** DBM greedy pretraining: the per-epoch permutations of each layer's RBM (under {@code seed + layer}). */
    DBM_PRETRAIN_SHUFFLE(0xD4),
    /** DBM greedy pretraining: which rows start each layer's persistent chains (under {@code seed + layer}). */
    DBM_PRETRAIN_CHAIN_INIT(0xD7),
    /** DBM fine-tuning: the initial weights of the classifier's output layer. */
    DBM_FINETUNE_INIT(0xE0),
    /** Annealed importance sampling of a DBM's log partition function. */
    DBM_AIS(0xD5),
    /** DBM generation: the Gibbs chains of samples drawn from a trained model. */
    DBM_SAMPLE(0xD6),
    /** DBM joint training by parallel tempering: the Metropolis swaps between neighbouring temperatures. */
    DBM_TEMPERING_SWAPS(0xE1),
    /** DBM generation by parallel tempering: the swaps between neighbouring temperatures. */
    DBM_SAMPLE_SWAPS(0xE2),
    /** RBM training by parallel tempering: the Metropolis swaps between neighbouring temperatures. */
    RBM_TEMPERING_SWAPS(0x70),
    /** RBM fantasy particles by parallel tempering: the swaps between neighbouring temperatures. */
    RBM_FANTASY_SWAPS(0x71),
    /** Digit strings for the segmentation recognizer: the lengths, digits and gaps of each string. */
    SEGMENTATION_DATA(0x78),
    /** Segmentation-recognizer training: the per-epoch permutations of the strings. */
    SEGMENTATION_SHUFFLE(0x79),
    /** Segmentation recognizer: the initial parameters of the segment network. */
    SEGMENTATION_INIT(0x7A),
    /** Benchmarks: inputs and draws that measure speed, not results. */
    BENCHMARK(0x7F00, 0x100);

    private final int id;
    private final int count;

    StreamId(int id) {
        this(id, 1);
    }

    StreamId(int id, int count) {
        this.id = id;
        this.count = count;
    }

    /** The first stream id of this entry. */
    public int id() {
        return id;
    }

    /** How many consecutive ids the entry covers (1 unless it is a range). */
    public int count() {
        return count;
    }

    /** The stream at draw 0 under {@code seed}. */
    public RandomStream open(long seed) {
        return open(seed, 0);
    }

    /** The {@code index}-th stream of a ranged entry at draw 0 under {@code seed}. */
    public RandomStream open(long seed, int index) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(name() + " covers " + count + " stream(s), index " + index
                    + " is outside 0.." + (count - 1));
        }
        return new RandomStream(seed, id + index, 0L);
    }

    /**
     * The stream positioned at the start of draw block {@code block} (draw {@code block * 2^32}) under
     * {@code seed}: for a consumer that needs a reproducible sequence per step of an outer loop (per
     * epoch, per experiment) that depends on the step alone, not on which steps ran before, so it has
     * no position to store. A block holds 2^32 draws; blocks never overlap.
     */
    public RandomStream openBlock(long seed, int block) {
        if (block < 0) {
            throw new IllegalArgumentException(name() + ": draw block must be >= 0, found " + block);
        }
        return open(seed).at((long) block << 32);
    }

    /** Whether the two entries share a stream id. */
    public boolean overlaps(StreamId other) {
        return id < other.id + other.count && other.id < id + count;
    }
}
