package org.ebm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.ebm4j.boltzmann.BoltzmannMachine;
import org.ebm4j.boltzmann.NetworkFile;
import org.ebm4j.boltzmann.UnitValues;
import org.ebm4j.data.InvalidDataFileException;
import org.ebm4j.tensor.Backend;

/** A Boltzmann machine file as {@code ebm bm train --out} writes it: a network file with kind=bm. */
record BmModelFile(Path path, NetworkFile file, int visible, int hidden, UnitValues units, int basSide) {

    static BmModelFile read(Path path) throws IOException {
        NetworkFile f = NetworkFile.read(path);
        String kind = f.value(path, "kind");
        if (!kind.equals("bm")) {
            throw new InvalidDataFileException(path + ": holds a '" + kind + "' network, not a Boltzmann machine (kind=bm)");
        }
        int visible = f.intValue(path, "visible");
        int hidden = f.intValue(path, "hidden");
        if (visible < 1 || visible + hidden != f.units()) {
            throw new InvalidDataFileException(path + ": visible=" + visible + " and hidden=" + hidden + " do not add up to "
                    + "units=" + f.units());
        }
        UnitValues units;
        try {
            units = UnitValues.parse(f.value(path, "values"));
        } catch (IllegalArgumentException e) {
            throw new InvalidDataFileException(path + ": " + e.getMessage());
        }
        int side = BmData.BARS_AND_STRIPES.equals(f.header().get("data")) ? f.intValue(path, "side") : 0;
        return new BmModelFile(path, f, visible, hidden, units, side);
    }

    BoltzmannMachine load(Backend backend) {
        BoltzmannMachine m = new BoltzmannMachine(backend, visible, hidden, units);
        try {
            file.applyTo(m.couplings());
        } catch (RuntimeException e) {
            m.close();
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
        return m;
    }
}
