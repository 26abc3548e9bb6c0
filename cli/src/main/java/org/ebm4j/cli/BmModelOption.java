package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.tensor.Backend;
import picocli.CommandLine.Option;

/** The {@code --model} of the commands that use a trained machine ({@code ebm bm sample}, {@code evaluate}). */
final class BmModelOption {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Machine file from 'ebm bm train --out' (or the CSV network file of earlier versions).")
    Path model;

    /** The machine in {@code --model}, on {@code backend}. */
    BoltzmannMachine load(Backend backend) throws IOException {
        return BoltzmannMachine.load(model, backend);
    }
}
