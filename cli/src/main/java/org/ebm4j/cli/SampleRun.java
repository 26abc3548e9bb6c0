package org.ebm4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code rbm sample} and {@code dbn sample} report: the picture, its chains and steps, the time. */
public record SampleRun(Path png, int chains, int steps, double seconds) {
    /** The {@code --json} object. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("png", png.toString());
        m.put("chains", chains);
        m.put("steps", steps);
        m.put("seconds", seconds);
        return m;
    }
}
