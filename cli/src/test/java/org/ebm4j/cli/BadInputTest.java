package org.ebm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ebm4j.dbn.Dbn;
import org.ebm4j.energy.DataMoments;
import org.ebm4j.energy.EnergyModel;
import org.ebm4j.energy.EnergyNetwork;
import org.ebm4j.io.AtomicFiles;
import org.ebm4j.boltzmann.BarsAndStripes;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.BoltzmannOptions;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.conditional.ConditionalOptions;
import org.ebm4j.dbm.Dbm;
import org.ebm4j.dbm.DbmOptions;
import org.ebm4j.dbm.DbmParameters;
import org.ebm4j.dbn.DbnOptions;
import org.ebm4j.energy.EnergyOptions;
import org.ebm4j.hmc.HmcOptions;
import org.ebm4j.hopfield.RecallOptions;
import org.ebm4j.rbm.AisOptions;
import org.ebm4j.rbm.Rbm;
import org.ebm4j.rbm.RbmOptions;
import org.ebm4j.rbm.VisibleType;
import org.ebm4j.segmentation.SegmentationOptions;
import org.ebm4j.tensor.Activation;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.train.OptionTable;
import org.ebm4j.train.Range;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input through the whole command line: each case must exit with its code, print one line
 * ({@code ebm GROUP COMMAND: error: ...}, naming the flag or the file), plus for usage errors one
 * pointer to {@code --help}, print no stack trace, and leave the output directory as it was. The
 * table holds every command family's bad flags, so each is held to that one format.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    private static Path model;
    private static Path notAModel;
    private static Path aFile;
    /** A 3x3 bars-and-stripes Boltzmann machine (9 visible units) and rows of 3 values that do not fit it. */
    private static Path bmModel;
    private static Path bmData;
    /** Two random Hopfield patterns of 64 units. */
    private static Path patterns;
    /**
     * An energy network on 2 coordinates with one layer of 2^18 units (a 3 MB file), and 2000 rows with a
     * missing entry each: their activations through the layer need about 6 GB, over a test JVM's heap.
     */
    private static Path wideEnergy;
    private static Path partialRows;
    /** A 4-2 DBN of zeros. */
    private static Path dbnModel;
    /** A 9-3-2 DBM of zeros. */
    private static Path dbmModel;
    /** An energy network on 2 coordinates with one layer of 4 units. */
    private static Path smallEnergy;

    @BeforeAll
    static void files() throws IOException {
        model = dir.resolve("tiny.ebm");
        try (Backend b = Backends.select("cpu").backend(); Rbm rbm = Rbm.zeros(b, VisibleType.BERNOULLI, 784, 4)) {
            rbm.save(model);
        }
        notAModel = dir.resolve("text.ebm");
        Files.writeString(notAModel, "not a model\n".repeat(10_000));
        aFile = dir.resolve("a-file");
        Files.writeString(aFile, "x");
        bmModel = dir.resolve("bm-model.ebm");
        try (BoltzmannMachine bm = BoltzmannMachine.fit(BarsAndStripes.dataset(3, UnitValues.BINARY),
                BoltzmannOptions.builder().hidden(1).epochs(1).samples(0).build())) {
            bm.save(bmModel);
        }
        dbmModel = dir.resolve("dbm-model.ebm");
        try (Backend b = Backends.select("cpu").backend(); Dbm dbm = Dbm.of(b, DbmParameters.zeros(new int[] {9, 3, 2}))) {
            dbm.save(dbmModel);
        }
        smallEnergy = dir.resolve("small-energy.ebm");
        try (Backend b = Backends.select("cpu").backend();
             EnergyModel m = EnergyModel.of(new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(4,
                     Activation.SOFTPLUS)), 0.1), DataMoments.of(new float[4], 2, 2))) {
            m.save(smallEnergy);
        }
        bmData = dir.resolve("bm-rows.csv");
        Files.writeString(bmData, "0,1,1\n1,0,1\n");
        patterns = dir.resolve("patterns.csv");
        HopfieldCommandTest.writePatterns(patterns, 2, 6);
        wideEnergy = dir.resolve("wide-energy.ebm");
        try (Backend b = Backends.select("cpu").backend();
             EnergyModel m = EnergyModel.of(new EnergyNetwork(b, 2, List.of(new EnergyNetwork.Layer(1 << 18,
                     Activation.SOFTPLUS)), 0.1), DataMoments.of(new float[4], 2, 2))) {
            m.save(wideEnergy);
        }
        partialRows = dir.resolve("partial.csv");
        Files.writeString(partialRows, "x,y\n" + "1,NA\n".repeat(2000));
        dbnModel = dir.resolve("dbn.ebm");
        try (Backend b = Backends.select("cpu").backend(); Dbn dbn = Dbn.zeros(b, VisibleType.BERNOULLI, new int[] {4, 2})) {
            dbn.save(dbnModel);
        }
    }

    /** {@code out}'s files and their bytes. */
    private static Map<String, String> snapshot(Path out) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.toList()) {
                m.put(out.relativize(p).toString(), Files.isRegularFile(p) ? new String(Files.readAllBytes(p)) : "/");
            }
        }
        return m;
    }

    private static void assertOneLine(CliRun r, int exit, String fragment) {
        assertEquals(exit, r.exit(), r::toString);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(exit == 2 ? 2 : 1, lines.size(), () -> "error lines:\n" + r.err());
        assertTrue(lines.get(0).matches("ebm [a-z]+( [a-z]+)?: error: .*"), lines.get(0));
        assertTrue(lines.get(0).contains(fragment), () -> "expected '" + fragment + "' in: " + lines.get(0));
        if (exit == 2) {
            assertTrue(lines.get(1).startsWith("Try 'ebm ") && lines.get(1).endsWith(" --help' for more information."),
                    lines.get(1));
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
    }

    /** The files the cases name, by placeholder, with {@code out} as the output directory. */
    private static Map<String, String> placeholders(Path out) {
        String[] placeholders = {"MODEL", model.toString(), "TEXT", notAModel.toString(), "A_FILE", aFile.toString(),
            "MISSING", dir.resolve("missing.ebm").toString(), "OUT", out.toString(), "UNDER_FILE",
            aFile.resolve("x.png").toString(), "BM_MODEL", bmModel.toString(), "BM_DATA", bmData.toString(),
            "PATTERNS", patterns.toString(), "NET", dir.resolve("net.ebm").toString(), "DBN_MODEL",
            dbnModel.toString(), "WIDE_ENERGY", wideEnergy.toString(), "PARTIAL", partialRows.toString(), "OUT_CSV",
            out.resolve("filled.csv").toString(), "DBM_MODEL", dbmModel.toString(), "ENERGY", smallEnergy.toString()};
        Map<String, String> files = new TreeMap<>();
        for (int i = 0; i < placeholders.length; i += 2) {
            files.put(placeholders[i], placeholders[i + 1]);
        }
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rbm train --hidden 2000000|2|--hidden: the 784x2000000 weights",
        "rbm train --persistent-chains 1000000000|2|--persistent-chains: the 1000000000 persistent chains",
        "rbm train --samples 100000000|2|--samples: the 100000000 samples",
        "rbm train --binarize fixed:2|2|--binarize: binarization threshold must lie in (0, 1)",
        "rbm train --sparsity-cost 0.3|2|--sparsity-cost: 0.3 needs a sparsity_target",
        "rbm train --lr 0x1p-1|2|--lr",
        "rbm train --lr 1f|2|'1f' is not a decimal number",
        "rbm train --lr NaN|2|--lr",
        "rbm train --lr 0|2|--lr",
        "rbm train --lr -1|2|--lr",
        "rbm train --epochs 0|2|--epochs",
        "rbm train --epochs -3|2|--epochs",
        "rbm train --epochs 99999999999|2|--epochs",
        "rbm train --epochs many|2|--epochs",
        "rbm train --hidden 0|2|--hidden",
        "rbm train --batch -1|2|--batch",
        "rbm train --momentum 1.5|2|--momentum",
        "rbm train --bogus 1|2|--bogus",
        "rbm train --out A_FILE|2|--out A_FILE is an existing file, expected a directory",
        "rbm eval --model TEXT|1|TEXT",
        "rbm eval --model MISSING|1|MISSING",
        "rbm eval --model MODEL --ais-betas 1000000000|2|--ais-betas: the 1000000000 AIS temperatures",
        "rbm eval --model MODEL --ais-runs 0|2|--ais-runs",
        "rbm sample --model MODEL --out OUT|2|--out OUT is a directory",
        "rbm sample --model MODEL --chains -1|2|--chains",
        "dbn train --layers 2000000|2|--layers: the largest layer's weights",
        "dbn train --samples 100000000|2|--samples: the 100000000 samples",
        "dbn train --layers 10,x|2|--layers: 'x' is not an integer (expected comma-separated integers, found '10,x')",
        "dbn train --layers 10,|2|--layers: '' is not an integer (expected comma-separated integers, found '10,')",
        "dbn train --out A_FILE|2|--out A_FILE is an existing file",
        "bm train --out A_FILE|2|--out A_FILE is an existing file, expected a directory",
        "bm train --out UNDER_FILE|2|--out UNDER_FILE lies under A_FILE, which is a file, not a directory",
        "hmc sample --out OUT|2|--out OUT is a directory, expected a file",
        "energy train --data four-squares --out A_FILE|2|--out A_FILE is an existing file, expected a directory",
        "bm train --momentum 1|2|--momentum: must lie in [0, 1), found 1.0",
        "bm train --side 7|2|--side must lie in [2, 5] but was 7",
        "bm train --unit-values ternary|2|--unit-values: unit values must be 'binary' ({0,1}) or 'spin' ({-1,+1}) but were 'ternary'",
        "bm train --lr 0|2|--lr: must be finite and > 0, found 0.0",
        "bm train --lr-schedule cosine|2|--lr-schedule must be constant or linear but was 'cosine'",
        "bm train --epochs 0|2|--epochs: must be >= 1, found 0",
        "bm train --hidden -1|2|--hidden: must be >= 0, found -1",
        "bm train --persistent-chains 0|2|--persistent-chains: must be >= 1, found 0",
        "bm train --data BM_DATA --image-width 2|2|--image-width 2 does not divide the 3 visible units",
        "bm train --weight-decay -1|2|--weight-decay: must be finite and >= 0, found -1.0",
        "bm sample --model BM_MODEL --temperature 0|2|--temperature must be a finite number > 0 but was 0.0",
        "bm sample --model BM_MODEL --chains 0|2|--chains must be >= 1 but was 0",
        "bm sample --model BM_MODEL --image-width 5|2|--image-width 5 does not divide the 9 visible units",
        "bm sample|2|Missing required option: '--model=FILE'",
        "bm eval --model BM_MODEL --data BM_DATA|2|--data rows have 3 values but the machine has 9 visible units",
        "hopfield recall --patterns PATTERNS --flip 0.7|2|--flip must lie in [0.0, 0.5] but was 0.7",
        "hopfield recall --patterns PATTERNS --dynamics chaotic|2|--dynamics must be async, sync or anneal but was 'chaotic'",
        "hopfield recall --patterns PATTERNS --rule oja|2|--rule: learning rule must be 'hebb', 'storkey' or 'pseudo-inverse' but was 'oja'",
        "hopfield recall --patterns PATTERNS --max-sweeps 0|2|--max-sweeps must be >= 1 but was 0",
        "hopfield recall --patterns PATTERNS --clamp 5-999|2|--clamp: '5-999' is outside the units 0-63",
        "hopfield recall --patterns PATTERNS --clamp known|2|--clamp known needs --mask",
        "hopfield recall --patterns PATTERNS --png x.png|2|--png needs --image-width",
        "hopfield recall --patterns PATTERNS --mask middle|2|--mask: region must be first-half, second-half, top, bottom, left or right but was 'middle'",
        "hopfield recall --patterns PATTERNS --mask top|2|--mask: region 'top' needs an image shape",
        "hopfield recall --patterns PATTERNS --image-width 7|2|--image-width 7 does not divide the 64 units",
        "hopfield recall --patterns PATTERNS --dynamics anneal --t-end 0|2|--t-end must be a finite number > 0 but was 0.0",
        "hopfield recall --patterns PATTERNS --model PATTERNS|2|mutually exclusive",
        "hopfield recall --flip 0.1|2|Missing required argument",
        "hopfield store --patterns PATTERNS --out NET --rule pseudo-inverse --add-to PATTERNS|2|--add-to cannot be combined with --rule pseudo-inverse",
        "hopfield store --out NET|2|Missing required option: '--patterns=FILE'",
        "hopfield capacity --units 1|2|--units must be >= 2 but was 1",
        "hopfield capacity --loads 0.1,1.5|2|--loads values must lie in (0, 1] but one was 1.5",
        "hopfield capacity --rules hebb,oja|2|--rules: learning rule must be",
        "hopfield capacity --dynamics gibbs|2|--dynamics must be async, sync or anneal but was 'gibbs'",
        "hopfield mnist --digits 3,12|2|--digits values must lie in 0..9 but one was 12",
        "hopfield mnist --corrupt blur|2|--corrupt must be flip or mask but was 'blur'",
        "hopfield mnist --threshold 2|2|--threshold must lie in [0.0, 1.0] but was 2.0",
        "hopfield mnist --backend tpu|2|--backend must be one of [auto, cpu, cuda] but was 'tpu'",
        "bm train --hidden 2000000|2|--hidden: the 2000016x2000016 couplings",
        "bm train --persistent-chains 1000000000|2|--persistent-chains: the 1000000000 model chains",
        "hmc sample --chains 1000000000|2|--chains",
        "energy train --data four-squares --layers 1000000000:softplus|2|--layers: the weights of the layers",
        "dbm train --layers 2000000,10|2|--layers: the weights of the [2000000, 10] layers",
        "dbm train --layers 10,x|2|--layers: 'x' is not an integer (expected comma-separated integers, found '10,x')",
        "dbm train --persistent-chains 1000000000|2|--persistent-chains: the 1000000000 chains",
        "dbm train --samples 100000000|2|--samples: the 100000000 samples of samples.png",
        "rbm sample --model MODEL --chains 1000000000|2|--chains: the 1000000000 chains",
        "dbn sample --model DBN_MODEL --chains 1000000000|2|--chains: the 1000000000 chains of 6 units",
        "conditional train --limit 60 --held-out 10 --layers 1000000000:softplus|2|--layers: the weights of the layers",
        "conditional train --limit 60 --held-out 10 --batch 1000000000|2|--batch: the activations of the 1000000000 examples",
        "chain train --limit 200 --held-out 100 --layers 1000000000:softplus|2|--layers: the weights of the layers",
        "segment train --strings 4 --held-out 2 --layers 1000000000:softplus|2|--layers: the weights of the layers",
        "energy train --data four-squares --fantasies 1000000000|2|--fantasies: the 1000000000 fantasy chains",
        "energy train --data four-squares --fantasy-draws 100000000|2|--fantasy-draws: ",
        "energy fill --model WIDE_ENERGY --data PARTIAL --out OUT_CSV|2|--data: the 2000 rows of ",
        "hopfield capacity --units 1000000|2|--units: the 1000000x1000000 weights"})
    void isRefusedInOneLineAndWritesNothing(String line, int exit, String fragment) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out-" + Integer.toHexString(line.hashCode())));
        Files.writeString(out.resolve("model.ebm"), "a previous run's file");
        Map<String, String> before = snapshot(out);
        Map<String, String> files = placeholders(out);
        String[] args = CliRun.words(line + (line.matches("(rbm|dbn|dbm|bm|energy|conditional|chain|segment) train.*") && !line.contains("--out") ? " --out OUT" : "")
                + " --quiet", files);
        CliRun r = CliRun.of(args);
        String expected = fragment;
        // Longest placeholder first: BM_MODEL before MODEL.
        for (String key : files.keySet().stream().sorted((x, y) -> y.length() - x.length()).toList()) {
            expected = expected.replace(key, files.get(key));
        }
        assertOneLine(r, exit, expected);
        assertEquals(before, snapshot(out), "output directory unchanged");
    }

    /**
     * A full disk while training writes its first checkpoint: the previous run's files survive, no
     * temporary file is left, and the one-line message names the cause and the file. The failure is
     * injected at the I/O layer ({@link AtomicFiles#FAIL_PROPERTY}): mounting a small tmpfs needs root,
     * which a test cannot count on.
     */
    @Test
    void aFullDiskKeepsThePreviousRunAndNamesTheFile() throws IOException {
        Path out = dir.resolve("full-disk");
        String[] train = {"rbm", "train", "--limit", "200", "--holdout", "50", "--epochs", "1", "--hidden", "4",
            "--samples", "4", "--sample-steps", "1", "--out", out.toString(), "--quiet"};
        CliRun.of(train).assertSucceeded();
        Map<String, String> before = snapshot(out);
        System.setProperty(AtomicFiles.FAIL_PROPERTY, "100");
        CliRun r;
        try {
            r = CliRun.of(train);
        } finally {
            System.clearProperty(AtomicFiles.FAIL_PROPERTY);
        }
        assertOneLine(r, 1, "No space left on device writing " + out.resolve(".staging/checkpoint.ebm"));
        assertEquals(before, snapshot(out), "previous outputs intact, no temporary file");
    }

    /** The files {@code rbm train} writes, in the order it writes them (the checkpoint during training). */
    private static final List<String> RUN_FILES = List.of("checkpoint.ebm", "model.ebm", "model.npz",
            "model.safetensors", "filters.png", "samples.png", "learning-curve.png");

    /**
     * A real full disk: a small tmpfs mounted on a temporary directory (this needs root, as on the
     * build machines; where mounting fails the test is skipped, saying why), filled so that the files
     * written before {@code failing} fit and {@code failing} gets no page: the previous run's outputs
     * survive byte for byte, no temporary file remains, and the one-line message names the file and
     * the cause. tmpfs counts whole pages, so each earlier file takes its size rounded up to one; the
     * run writes the same bytes as the previous one (same options and seed), so the sizes are known.
     */
    @ParameterizedTest(name = "full at {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"checkpoint.ebm", "model.ebm", "filters.png"})
    void aRealFullDiskKeepsThePreviousRunAndNamesTheFile(String failing) throws Exception {
        Path mnt = mountTmpfs("tmpfs-" + failing, "size=8m", "a real full disk");
        try {
            Path out = mnt.resolve("run");
            String[] train = {"rbm", "train", "--limit", "200", "--holdout", "50", "--epochs", "1", "--hidden", "4",
                "--samples", "4", "--sample-steps", "1", "--out", out.toString(), "--quiet"};
            CliRun.of(train).assertSucceeded();
            Map<String, String> before = snapshot(out);
            long page = 4096;
            long allowance = 0;
            for (String f : RUN_FILES.subList(0, RUN_FILES.indexOf(failing))) {
                allowance += (Files.size(out.resolve(f)) + page - 1) / page * page;
            }
            fill(mnt.resolve("filler"), Files.getFileStore(mnt).getUsableSpace() - allowance);
            CliRun r = CliRun.of(train);
            assertOneLine(r, 1, "No space left on device writing " + out.resolve(".staging").resolve(failing));
            Map<String, String> after = snapshot(out);
            assertTrue(after.keySet().stream().noneMatch(k -> k.endsWith(".tmp")), () -> "temporary files: " + after);
            after.keySet().removeIf(k -> k.startsWith(".staging"));
            assertEquals(before, after, "the previous run's outputs survive");
        } finally {
            new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
        }
    }

    /**
     * A read-only file system under {@code --out} (a tmpfs mounted read-only; root may write to any
     * directory its permissions forbid, but not to a read-only mount; skipped, saying why, where mounting
     * fails): the run is refused before any work, in one line naming the flag and the directory, and
     * nothing is written.
     */
    @Test
    void aReadOnlyOutputDirectoryIsRefusedBeforeAnyWork() throws Exception {
        Path mnt = mountTmpfs("read-only", "ro,size=1m", "a read-only file system");
        try {
            Path out = mnt.resolve("run");
            CliRun r = CliRun.of("rbm", "train", "--limit", "200", "--epochs", "1", "--hidden", "4", "--out",
                    out.toString(), "--quiet");
            assertOneLine(r, 2, "--out " + out + ": " + mnt + " is not writable");
            try (var left = Files.list(mnt)) {
                assertEquals(List.of(), left.toList(), "nothing is written");
            }
        } finally {
            new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor();
        }
    }

    /**
     * A tmpfs mounted with {@code options} on a new directory {@code name} of the test's directory (the
     * caller unmounts it); where mounting fails (it needs root) the test is skipped, saying why.
     */
    private static Path mountTmpfs(String name, String options, String purpose) throws Exception {
        Path mnt = Files.createDirectories(dir.resolve(name));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        String why = new String(mount.getInputStream().readAllBytes()).trim();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0,
                () -> "skipped: cannot mount a tmpfs for " + purpose + " (needs root): " + why);
        return mnt;
    }

    /** Writes {@code bytes} zero bytes (real pages, not a sparse file). */
    private static void fill(Path file, long bytes) throws IOException {
        byte[] chunk = new byte[1 << 16];
        try (var os = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                os.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    /**
     * Every numeric flag of every command, found by walking the picocli model (so a new command or
     * flag is covered without an edit here), at values no number parse takes: a word or NaN, and for
     * whole-number flags a value past the type's range. Each is a usage error (exit 2) in one line
     * that names the flag, with the pointer to {@code --help}, no stack trace, and an untouched output
     * directory; all fail while the arguments are parsed, so each case takes milliseconds.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @org.junit.jupiter.params.provider.MethodSource("numericFlagValues")
    void everyNumericFlagRefusesANonNumberInOneLine(String command, String flag, String value, boolean dirOut)
            throws IOException {
        Path out = Files.createDirectories(dir.resolve("flags-" + Integer.toHexString((command + flag + value)
                .hashCode())));
        Files.writeString(out.resolve("model.ebm"), "a previous run's file");
        Map<String, String> before = snapshot(out);
        List<String> args = new java.util.ArrayList<>(List.of(CliRun.words(command + " "
                + INPUTS.getOrDefault(command, ""), placeholders(out))));
        args.addAll(List.of(flag, value));
        if (dirOut) {
            args.addAll(List.of("--out", out.toString()));
        }
        args.add("--quiet");
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertOneLine(r, 2, flag);
        assertEquals(before, snapshot(out), "output directory unchanged");
    }

    /**
     * The options records whose keys each command's flags set, the flag of a key found through
     * {@link SettingFlags} (the mapping the command line's errors use): the walk takes those flags'
     * ranges from the records' {@link OptionTable}s, where the library declares them once.
     */
    private static final Map<String, List<Class<? extends Record>>> RECORDS = Map.ofEntries(
            Map.entry("rbm train", List.of(RbmOptions.class)),
            Map.entry("dbn train", List.of(DbnOptions.class)),
            Map.entry("dbm train", List.of(DbmOptions.class)),
            Map.entry("bm train", List.of(BoltzmannOptions.class)),
            Map.entry("energy train", List.of(EnergyOptions.class)),
            Map.entry("conditional train", List.of(ConditionalOptions.class)),
            Map.entry("segment train", List.of(ConditionalOptions.class, SegmentationOptions.class)),
            Map.entry("chain train", List.of(ConditionalOptions.class)),
            Map.entry("hmc sample", List.of(HmcOptions.class)),
            Map.entry("hopfield mnist", List.of(RecallOptions.class)),
            Map.entry("hopfield capacity", List.of(RecallOptions.class)),
            Map.entry("hopfield recall", List.of(RecallOptions.class)),
            Map.entry("rbm eval", List.of(AisOptions.class)),
            Map.entry("rbm sample", List.of()),
            Map.entry("dbn eval", List.of()),
            Map.entry("dbn sample", List.of()),
            Map.entry("dbm eval", List.of(AisOptions.class, DbmOptions.class)),
            Map.entry("dbm sample", List.of()),
            Map.entry("dbm classify", List.of(DbnOptions.class)),
            Map.entry("bm sample", List.of()),
            Map.entry("energy fill", List.of(HmcOptions.class)));

    /**
     * The range of every whole-number flag that sets no record's key (the command's own: data limits,
     * picture sizes...), as the command checks it: {@code FLAG MIN} or {@code FLAG MIN..MAX}, and a
     * trailing {@code *} on a size whose largest value ({@link Integer#MAX_VALUE}) is refused by the memory
     * estimate before any work. The walk holds it to the picocli model: a whole-number flag neither here
     * nor set through a record fails the test, and so does a row for a flag a record sets.
     */
    private static final String RANGES = """
            rbm train: --limit 1, --checkpoint-every 1, --samples 1*, --sample-steps 0
            dbn train: --limit 1, --holdout 1, --samples 1*, --sample-steps 0
            dbm train: --limit 1, --samples 1*, --sample-steps 0
            bm train: --side 2..5, --image-width 1
            energy train: --points 8, --fantasies 1*, --fantasy-warmup 0, --fantasy-draws 1, --progress-every 0
            conditional train: --limit 1, --held-out 1
            segment train: --held-out 1, --strings 1
            chain train: --limit 1, --held-out 1, --sequences 1, --test-sequences 1, --length 1
            hmc sample: --dim 1
            hopfield capacity: --units 2*, --trials 1
            hopfield mnist: --example 0, --scale 1..32
            hopfield recall: --image-width 1, --scale 1..32
            rbm eval: --limit 1
            rbm sample: --chains 1*, --steps 0, --replicas 2
            dbn eval: --limit 1, --holdout 1, --batch 1
            dbn sample: --chains 1*, --steps 0
            dbm eval: --limit 1
            dbm sample: --chains 1*, --steps 0, --replicas 2
            bm sample: --chains 1, --steps 1, --image-width 1
            dbm classify: --limit 1, --holdout 1, --mf-iterations 1
            chain eval: --limit 1, --held-out 1, --test-sequences 1, --length 1
            segment eval: --held-out 1
            """;

    /**
     * The inputs a command needs to start, as placeholders of {@link #placeholders}: each model file made
     * once, by the library, in {@link #files()}.
     */
    private static final Map<String, String> INPUTS = Map.ofEntries(
            Map.entry("hopfield recall", "--patterns PATTERNS"),
            Map.entry("rbm eval", "--model MODEL"),
            Map.entry("rbm sample", "--model MODEL"),
            Map.entry("dbn eval", "--model DBN_MODEL"),
            Map.entry("dbn sample", "--model DBN_MODEL"),
            Map.entry("dbm eval", "--model DBM_MODEL"),
            Map.entry("dbm sample", "--model DBM_MODEL"),
            Map.entry("bm sample", "--model BM_MODEL"),
            Map.entry("energy fill", "--model ENERGY --data PARTIAL --out OUT_CSV"),
            Map.entry("dbm classify", "--model DBM_MODEL"),
            // Their flags are checked before the model is read, so any model file will do.
            Map.entry("chain eval", "--model MODEL"),
            Map.entry("segment eval", "--model MODEL"));

    /** {@link #RANGES} as command -> flag -> {@link Range}. */
    private static Map<String, Map<String, Range>> ranges() {
        Map<String, Map<String, Range>> m = new TreeMap<>();
        for (String entry : RANGES.replace("\n  ", " ").strip().split("\n")) {
            String[] commandAndFlags = entry.split(":", 2);
            Map<String, Range> flags = m.computeIfAbsent(commandAndFlags[0].strip(), c -> new TreeMap<>());
            for (String f : commandAndFlags[1].split(",")) {
                String[] nameRange = f.strip().split(" ");
                String[] bounds = nameRange[1].replace("*", "").split("\\.\\.");
                Range r = bounds.length > 1 ? Range.between(Long.parseLong(bounds[0]), Long.parseLong(bounds[1]))
                        : Range.atLeast(Long.parseLong(bounds[0]));
                flags.put(nameRange[0], nameRange[1].endsWith("*") ? r.boundedByMemory() : r);
            }
        }
        return m;
    }

    /**
     * The flags of {@code command} that set a key of its {@link #RECORDS}, with the key's declared range
     * (a flag that sets keys of two records, such as a window's height and width, takes the first).
     */
    private static Map<String, Range> recordRanges(String command) {
        picocli.CommandLine.Model.CommandSpec spec = command(command).getCommandSpec();
        Map<String, Range> m = new TreeMap<>();
        for (Class<? extends Record> record : RECORDS.getOrDefault(command, List.of())) {
            OptionTable.forRecord(record).ranges().forEach((key, range) -> {
                String flag = SettingFlags.flag(spec, key);
                if (flag.startsWith("--")) {
                    m.putIfAbsent(flag, range);
                }
            });
        }
        return m;
    }

    /**
     * The values of a walk over {@code range} that it refuses: for whole numbers 0, -1, one below the
     * minimum and one above the maximum; for decimals -1, 0, 1e308 and the finite ends (an open end itself,
     * the next value out from a closed one); and for a size bounded by memory its largest value, which no
     * heap holds. NaN and the infinities are left to {@link #numericFlagValues}: the command line's decimal
     * converter refuses them before any range is read, the same check for every decimal flag.
     */
    static List<String> refusedValues(Range range) {
        List<String> values = new java.util.ArrayList<>();
        if (range.whole()) {
            for (double v : new double[] {0, -1, range.lo() - 1, range.hi() + 1}) {
                if (Double.isFinite(v) && !range.contains(v) && !values.contains(Long.toString((long) v))) {
                    values.add(Long.toString((long) v));
                }
            }
            if (range.memoryBound()) {
                values.add(Integer.toString(Integer.MAX_VALUE));
            }
            return values;
        }
        double[] candidates = {-1, 0, 1e308, range.loOpen() ? range.lo() : Math.nextDown(range.lo()),
            range.hiOpen() ? range.hi() : Math.nextUp(range.hi())};
        for (double v : candidates) {
            String text = Double.toString(v);
            if (Double.isFinite(v) && !range.contains(v) && !values.contains(text)) {
                values.add(text);
            }
        }
        return values;
    }

    /**
     * Every flag that sets a key of an options record ({@link #RECORDS}, ranges from the records' tables)
     * or is one of a command's own whole-number flags ({@link #RANGES}), at each value its range refuses
     * ({@link #refusedValues}): a usage error in one line naming the flag, with no stack trace and the
     * output directory unchanged. Values inside a range would start real work, so they are left to the
     * commands' own tests.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @org.junit.jupiter.params.provider.MethodSource("valuesOutsideTheRanges")
    void everyFlagRefusesAValueOutsideItsRange(String command, String flag, String value, boolean dirOut)
            throws IOException {
        everyNumericFlagRefusesANonNumberInOneLine(command, flag, value, dirOut);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> valuesOutsideTheRanges() {
        Map<String, Map<String, Range>> own = ranges();
        // Every command, so that one added later fails here until its whole-number flags have ranges.
        java.util.Set<String> commands = JsonEventsTest.leafCommands();
        assertTrue(commands.containsAll(RECORDS.keySet()) && commands.containsAll(own.keySet()),
                () -> "RECORDS and RANGES name only commands of ebm: " + commands);
        List<org.junit.jupiter.params.provider.Arguments> cases = new java.util.ArrayList<>();
        for (String command : commands) {
            Map<String, Range> fromRecords = recordRanges(command);
            Map<String, Range> commandOwn = own.getOrDefault(command, Map.of());
            for (String flag : commandOwn.keySet()) {
                assertFalse(fromRecords.containsKey(flag), () -> command + " " + flag + " sets a record's key: "
                        + "its range comes from the record, not from RANGES");
            }
            picocli.CommandLine.Model.OptionSpec out = command(command).getCommandSpec().findOption("--out");
            boolean dirOut = out != null && "DIR".equals(out.paramLabel());
            java.util.Set<String> whole = new java.util.TreeSet<>();
            for (NumericFlag f : numericFlags(List.of(command))) {
                if (f.whole() && !f.name().equals("--seed")) { // a seed takes every long
                    whole.add(f.name());
                }
            }
            java.util.Set<String> covered = new java.util.TreeSet<>(commandOwn.keySet());
            covered.addAll(fromRecords.keySet());
            assertTrue(covered.containsAll(whole), () -> command + ": whole-number flags with no range (set no "
                    + "record's key and have no row in RANGES): " + whole.stream().filter(w -> !covered.contains(w))
                    .toList());
            Map<String, Range> all = new TreeMap<>(commandOwn);
            all.putAll(fromRecords);
            all.forEach((flag, range) -> refusedValues(range).forEach(v ->
                    cases.add(org.junit.jupiter.params.provider.Arguments.of(command, flag, v, dirOut))));
        }
        return cases.stream();
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> numericFlagValues() {
        List<org.junit.jupiter.params.provider.Arguments> cases = new java.util.ArrayList<>();
        for (NumericFlag f : numericFlags(JsonEventsTest.leafCommands())) {
            // A whole number's parse refuses NaN as it refuses a word; a decimal's refuses both
            // through the same check (Ebm's decimal converter), so one of them each suffices.
            List<String> values = f.whole() ? List.of("many", "99999999999999999999") : List.of("NaN");
            for (String v : values) {
                cases.add(f.withValue(v));
            }
        }
        assertTrue(cases.size() > 150, "the walk found " + cases.size() + " cases");
        return cases.stream();
    }

    /**
     * A visible numeric flag of a command found in the picocli model.
     *
     * @param whole  whether it takes a whole number (else a decimal)
     * @param dirOut whether the command's {@code --out} names a directory (then the case gives one)
     */
    private record NumericFlag(String command, String name, boolean whole, boolean dirOut) {
        org.junit.jupiter.params.provider.Arguments withValue(String value) {
            return org.junit.jupiter.params.provider.Arguments.of(command, name, value, dirOut);
        }
    }

    /** The picocli model of {@code command} ({@code "rbm train"}). */
    private static picocli.CommandLine command(String command) {
        picocli.CommandLine cl = Ebm.commandLine(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(new java.io.StringWriter()));
        for (String word : command.split(" ")) {
            cl = cl.getSubcommands().get(word);
        }
        return cl;
    }

    /** The numeric flags of {@code commands}, walking the picocli model. */
    private static List<NumericFlag> numericFlags(java.util.Collection<String> commands) {
        List<NumericFlag> flags = new java.util.ArrayList<>();
        for (String command : commands) {
            picocli.CommandLine cl = command(command);
            picocli.CommandLine.Model.OptionSpec out = cl.getCommandSpec().findOption("--out");
            boolean dirOut = out != null && "DIR".equals(out.paramLabel());
            for (picocli.CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
                Class<?> t = o.type();
                boolean whole = t == int.class || t == Integer.class || t == long.class || t == Long.class;
                boolean real = t == double.class || t == Double.class || t == float.class || t == Float.class;
                if (!o.hidden() && (whole || real)) {
                    flags.add(new NumericFlag(command, o.longestName(), whole, dirOut));
                }
            }
        }
        return flags;
    }
}
