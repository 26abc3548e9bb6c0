package org.ebm4j.cli.rbm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ebm4j.cli.CliRun;
import org.ebm4j.rbm.RbmModelFile;
import org.ebm4j.train.CheckpointWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run killed with SIGKILL while it writes a checkpoint leaves the previous checkpoint
 * intact, and {@code --resume} then finishes the run with exactly the weights of an uninterrupted
 * run. The checkpoints of a run lie in its output directory's staging area until the run's set is
 * complete ({@code ResumeCheckpoint}). The child JVM writes slowly ({@code ebm.test.atomicWriteDelayMillis}), so the kill lands
 * inside a checkpoint write: the test waits until a checkpoint exists and the next one's
 * temporary file is being written.
 */
class CheckpointKillTest {
    @TempDir
    Path dir;

    private static List<String> trainArgs(Path out) {
        return List.of("rbm", "train", "--limit", "1000", "--holdout", "0", "--hidden", "16", "--epochs", "4",
                "--method", "pcd", "--chains", "200", "--batch", "50", "--lr", "0.05", "--checkpoint-every", "1",
                "--metrics-every", "100", "--samples", "4", "--sample-steps", "5", "--out", out.toString(), "--quiet");
    }

    @Test
    void sigkillDuringCheckpointingKeepsThePreviousOneAndResumeFinishes() throws Exception {
        Path reference = dir.resolve("reference");
        CliRun straight = CliRun.of(trainArgs(reference).toArray(String[]::new));
        assertEquals(0, straight.exit(), straight.toString());

        Path out = dir.resolve("killed");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector"); // same kernels as this JVM, so the weights can be compared exactly
        }
        cmd.add("-Debm.test.atomicWriteDelayMillis=250");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.ebm4j.cli.Ebm");
        cmd.addAll(trainArgs(out));
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // A run's checkpoints are staged with its other outputs until it finishes.
        Path ckpt = out.resolve(".staging/checkpoint.ebm");
        Path tmp = out.resolve(".staging/checkpoint.ebm.tmp");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean caught = false;
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.exists(ckpt) && Files.exists(tmp) && Files.size(tmp) > 0) {
                caught = true;
                break;
            }
            Thread.sleep(10);
        }
        child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no finally blocks
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        if (!caught) {
            fail("never saw a checkpoint being written over a previous one; child log:\n" + Files.readString(log));
        }
        assertTrue(Files.exists(tmp), "the interrupted write left its temporary file");
        CheckpointWriter.Checkpoint previous = CheckpointWriter.read(ckpt);
        int done = previous.state().epochsDone();
        assertTrue(done >= 1 && done < 4, "previous checkpoint intact at epoch " + done);

        CliRun resumed = CliRun.of(append(trainArgs(out), "--resume"));
        assertEquals(0, resumed.exit(), resumed.toString());
        assertEquals(4, CheckpointWriter.read(out.resolve("checkpoint.ebm")).state().epochsDone());
        assertTrue(!Files.exists(out.resolve(".staging")), "the staged checkpoint and the stale temporary file went "
                + "with the finished run's set");
        assertEquals(RbmModelFile.read(reference.resolve("model.ebm")).parameters(),
                RbmModelFile.read(out.resolve("model.ebm")).parameters(),
                "killed + resumed run == uninterrupted run, weight for weight");
    }

    @Test
    void resumeRefusesAnotherConfiguration() throws Exception {
        Path out = dir.resolve("run");
        List<String> args = new ArrayList<>(trainArgs(out));
        args.set(args.indexOf("--epochs") + 1, "1");
        assertEquals(0, CliRun.of(args.toArray(String[]::new)).exit());
        List<String> otherLr = new ArrayList<>(args);
        otherLr.set(otherLr.indexOf("--lr") + 1, "0.1");
        CliRun r = CliRun.of(append(otherLr, "--resume"));
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--resume: lr=0.1 here but the checkpoint " + out.resolve("checkpoint.ebm")
                + " was trained with lr=0.05"), r.err());
        CliRun same = CliRun.of(append(args, "--resume"));
        assertEquals(0, same.exit(), same.toString());
    }

    private static String[] append(List<String> base, String... more) {
        List<String> l = new ArrayList<>(base);
        l.addAll(List.of(more));
        return l.toArray(String[]::new);
    }
}
