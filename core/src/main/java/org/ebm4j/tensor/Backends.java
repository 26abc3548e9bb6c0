package org.ebm4j.tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.ebm4j.tensor.spi.BackendProvider;
import org.ebm4j.tensor.spi.Probe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backends with {@link ServiceLoader} and picks one: the highest-priority provider whose
 * probe succeeds, unless a name is forced by the system property {@value #PROPERTY}, the
 * environment variable {@value #ENV} (the property wins) or a caller (the CLI's
 * {@code --backend}). A forced name that is unknown or unavailable is an error that says why.
 * The choice is logged at INFO and every skipped backend at WARN with its reason.
 */
public final class Backends {
    public static final String PROPERTY = "ebm.backend";
    public static final String ENV = "EBM_BACKEND";
    public static final String AUTO = "auto";

    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private static Selection defaultSelection;

    private Backends() {
    }

    /** A backend that was not chosen, and why. */
    public record Skipped(String name, int priority, String reason) {
    }

    /** The chosen backend, how it was chosen, and the providers passed over. */
    public record Selection(Backend backend, String requested, List<Skipped> skipped) {
    }

    /** Every provider on the class path, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            list.add(p);
        }
        list.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        return list;
    }

    /** The name forced by {@value #PROPERTY} or {@value #ENV}, or {@value #AUTO}. */
    public static String requestedName() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
        }
        return v == null || v.isBlank() ? AUTO : v.trim().toLowerCase(Locale.ROOT);
    }

    /** The process-wide default backend (chosen once, from {@link #requestedName()}). */
    public static synchronized Backend get() {
        return defaultSelection().backend();
    }

    /** The process-wide default selection, with the skipped providers, for reporting. */
    public static synchronized Selection defaultSelection() {
        if (defaultSelection == null) {
            defaultSelection = select(requestedName());
        }
        return defaultSelection;
    }

    /** Selects from the providers on the class path; see {@link #select(String, List)}. */
    public static Selection select(String requested) {
        return select(requested, providers());
    }

    /**
     * Selects a backend. {@code requested} is {@code "auto"} (or null) for the best available, or
     * a provider name, which must exist and be available, optionally with a variant after a colon
     * ({@code "cuda:1"}: {@link BackendProvider#probe(String)}, {@link BackendProvider#create(String)}).
     *
     * @throws IllegalStateException naming the reason when nothing suitable can run
     */
    public static Selection select(String requested, List<BackendProvider> providers) {
        String want = requested == null || requested.isBlank() ? AUTO : requested.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        List<Skipped> skipped = new ArrayList<>();
        if (!AUTO.equals(want)) {
            // "name:variant" selects a variant of a backend, e.g. "cuda:1" for device 1
            int colon = want.indexOf(':');
            String name = colon < 0 ? want : want.substring(0, colon);
            String variant = colon < 0 ? null : want.substring(colon + 1);
            BackendProvider match = null;
            for (BackendProvider p : sorted) {
                if (p.name().equals(name)) {
                    match = p;
                } else {
                    skipped.add(new Skipped(p.name(), p.priority(), "not requested (backend '" + want + "' was forced)"));
                }
            }
            if (match == null) {
                throw new IllegalStateException("backend '" + want + "' was requested but is unknown; known backends: "
                        + names(sorted) + " (set with --backend, -D" + PROPERTY + " or " + ENV + ")");
            }
            Probe probe = safeProbe(match, variant);
            if (!probe.available()) {
                throw new IllegalStateException("backend '" + want + "' was requested but is unavailable: " + probe.reason());
            }
            Backend backend = variant == null ? match.create() : match.create(variant);
            LOG.info("Using backend '{}' (forced): {}", backend.name(), probe.reason());
            return new Selection(backend, want, List.copyOf(skipped));
        }
        for (BackendProvider p : sorted) {
            Probe probe = safeProbe(p);
            if (probe.available()) {
                Backend backend = p.create();
                for (Skipped s : skipped) {
                    LOG.warn("Skipped backend '{}': {}", s.name(), s.reason());
                }
                LOG.info("Using backend '{}' (priority {}): {}", backend.name(), p.priority(), probe.reason());
                return new Selection(backend, AUTO, List.copyOf(skipped));
            }
            skipped.add(new Skipped(p.name(), p.priority(), probe.reason()));
        }
        StringBuilder why = new StringBuilder("no backend is available");
        if (sorted.isEmpty()) {
            why.append(": no BackendProvider on the class path (add ebm4j-cpu-backend)");
        }
        for (Skipped s : skipped) {
            why.append("; ").append(s.name()).append(": ").append(s.reason());
        }
        throw new IllegalStateException(why.toString());
    }

    private static Probe safeProbe(BackendProvider p) {
        return safeProbe(p, null);
    }

    private static Probe safeProbe(BackendProvider p, String variant) {
        try {
            Probe probe = variant == null ? p.probe() : p.probe(variant);
            return probe != null ? probe : Probe.unavailable("probe returned no answer");
        } catch (RuntimeException | LinkageError e) {
            return Probe.unavailable("probe failed: " + e);
        }
    }

    private static String names(List<BackendProvider> providers) {
        if (providers.isEmpty()) {
            return "(none on the class path)";
        }
        StringBuilder sb = new StringBuilder();
        for (BackendProvider p : providers) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(p.name());
        }
        return sb.toString();
    }
}
