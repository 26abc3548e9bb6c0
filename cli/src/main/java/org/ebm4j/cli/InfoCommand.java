package org.ebm4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Backends;
import org.ebm4j.tensor.spi.BackendProvider;
import org.ebm4j.tensor.spi.Probe;
import picocli.CommandLine.Command;

/**
 * {@code ebm info}: which backend was chosen and why, its kernel set and thread count, and every
 * backend that was skipped with its reason.
 */
@Command(name = "info",
        description = {"Show the chosen backend, its kernels and threads, and why other backends were skipped."},
        footer = "Example: ebm info --json")
final class InfoCommand extends CliCommand {
    @Override
    public Integer call() {
        String requested = backendName();
        Backends.Selection sel = Backends.select(requested);
        Map<String, Object> info = new LinkedHashMap<>();
        try (Backend backend = sel.backend()) {
            info.put("backend", backend.name());
            info.put("requested", sel.requested());
            backend.describe().forEach((k, v) -> info.put(JsonOrText.snakeCase(k), v));
            List<Map<String, Object>> skipped = new ArrayList<>();
            for (Backends.Skipped s : sel.skipped()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", s.name());
                m.put("priority", s.priority());
                m.put("reason", s.reason());
                skipped.add(m);
            }
            info.put("skipped", skipped);
            List<Map<String, Object>> providers = new ArrayList<>();
            for (BackendProvider p : Backends.providers()) {
                Map<String, Object> m = new LinkedHashMap<>();
                Probe probe = p.probe();
                m.put("name", p.name());
                m.put("priority", p.priority());
                m.put("available", probe.available());
                m.put("detail", probe.reason());
                providers.add(m);
            }
            info.put("providers", providers);
            info.put("java", Runtime.version().toString());
            info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            info.put("cpus", Runtime.getRuntime().availableProcessors());
        }
        output().result("info", info);
        return 0;
    }
}
