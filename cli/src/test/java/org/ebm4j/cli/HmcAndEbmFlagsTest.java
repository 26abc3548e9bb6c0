package org.ebm4j.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every flag of {@code ebm hmc sample} and {@code ebm energy train} rejects a bad value with a message naming it. */
class HmcAndEbmFlagsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--target|banana|--target must be gaussian or model but was 'banana'",
        "--target|model|--target model needs --model FILE",
        "--model|/no/such/file.ebm|--model /no/such/file.ebm is not a readable file",
        "--leapfrog-steps|0|--leapfrog-steps: must be >= 1, found 0",
        "--dim|0|--dim must be >= 1 but was 0",
        "--covariance|full|--covariance must be random, ar1 or identity but was 'full'",
        "--condition|0.5|--condition must be finite and >= 1 but was 0.5",
        "--rho|1|--rho must lie in (-1, 1) but was 1.0",
        "--chains|0|--chains: must be >= 1, found 0",
        "--warmup|-1|--warmup: must be >= 0, found -1",
        "--draws|3|--draws: must be >= 4 (R-hat and ESS need them), found 3",
        "--step-size|-0.1|--step-size: must be finite and > 0, found -0.1",
        "--target-accept|1.5|--target-accept: must lie in (0, 1), found 1.5",
        "--jitter|1|--jitter: must lie in [0, 1), found 1.0",
        "--init-sd|NaN|--init-sd': 'NaN' is not a decimal number",
        "--backend|tpu|--backend must be one of [auto, cpu, cuda] but was 'tpu'",
    })
    void hmcSampleRejects(String flag, String value, String message) {
        CliRun.of("hmc", "sample", flag, value).assertFailed(2, message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--data|spiral|--data: 'spiral' is no file or directory and no built-in data set (four-squares, cluster-grid)",
        "--points|3|--points must be >= 8 but was 3",
        "--missing-cluster|7|--missing-cluster must be ROW,COL (e.g. 1,3) but was '7'",
        "--missing-cluster|5,1|--missing-cluster row and column must lie in 0..4 but were 5,1",
        "--energy|rbm|--energy must be network or unigauss but was 'rbm'",
        "--layers|64:relu|--layers: unknown activation 'relu'",
        "--visible-precision|-1|--visible-precision: must be finite and >= 0, found -1.0",
        "--weight-scale|0|--weight-scale: must be finite and > 0, found 0.0",
        "--initial-scale|Infinity|--initial-scale': 'Infinity' is not a decimal number",
        "--experts|0|--experts: must be >= 1, found 0",
        "--envelope|-2|--envelope: must be finite and >= 0, found -2.0",
        "--loss|squared|--loss must be one of [ml, energy, perceptron, hinge, log, square-square, square-exp, nll, lvq2, mce, min-hinge] but was 'squared'",
        "--margin|-1|--margin: must be finite and >= 0, found -1.0",
        "--loss-scale|0|--loss-scale: must be finite and > 0, found 0.0",
        "--negatives|pcd|--negatives must be cd or persistent but was 'pcd'",
        "--negatives-per-example|0|--negatives-per-example: must be >= 1, found 0",
        "--leapfrog-steps|0|--leapfrog-steps: must be >= 1, found 0",
        "--trajectories|0|--trajectories: must be >= 1, found 0",
        "--step-size|0|--step-size: must be finite and > 0, found 0.0",
        "--target-accept|0|--target-accept: must lie in (0, 1), found 0.0",
        "--lr|0|--lr: must be finite and > 0, found 0.0",
        "--momentum|1|--momentum: must lie in [0, 1), found 1.0",
        "--weight-decay|-1|--weight-decay: must be finite and >= 0, found -1.0",
        "--update|adam|--update must be momentum or sign but was 'adam'",
        "--clip|0|--clip: must be > 0, found 0.0",
        "--batch|0|--batch: must be >= 1, found 0",
        "--iterations|0|--iterations: must be >= 1, found 0",
        "--fantasies|0|--fantasies: must be >= 1, found 0",
        "--fantasy-warmup|-1|--fantasy-warmup: must be >= 0, found -1",
        "--fantasy-draws|0|--fantasy-draws: must be >= 1, found 0",
        "--progress-every|-1|--progress-every must be >= 0 but was -1",
        "--backend|tpu|--backend must be one of [auto, cpu, cuda] but was 'tpu'",
    })
    void energyTrainRejects(String flag, String value, String message) {
        CliRun r = flag.equals("--data") ? CliRun.of("energy", "train", flag, value)
                : CliRun.of("energy", "train", "--data", "four-squares", flag, value);
        r.assertFailed(2, message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hmc sample --chains x|Invalid value for option '--chains': 'x' is not an int",
        "energy train --data /no/such.csv|--data: '/no/such.csv' is no file or directory",
    })
    void otherUsageErrors(String args, String message) {
        CliRun.of(args.split(" ")).assertFailed(2, message);
    }
}
