package org.ebm4j.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;
import org.ebm4j.tensor.Backend;
import org.ebm4j.tensor.Sampler;

/**
 * Wraps a {@link Backend} (and its {@link Sampler}) in dynamic proxies that time every call by method
 * name, so a benchmark can say where the time goes (for example the share in GEMM). Tensors still
 * belong to the wrapped backend, which does every check and every computation. Wall-clock timing per
 * call is only meaningful for synchronous backends (the CPU backend); an asynchronous device backend
 * would need a synchronization after each call.
 */
final class OpTimer {
    private final Map<String, long[]> totals = new TreeMap<>();

    Backend wrap(Backend backend) {
        Sampler sampler = (Sampler) Proxy.newProxyInstance(Sampler.class.getClassLoader(), new Class<?>[] {Sampler.class},
                handler(backend.sampler(), "sampler."));
        InvocationHandler inner = handler(backend, "");
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> method.getName().equals("sampler") && (args == null || args.length == 0)
                        ? sampler : inner.invoke(proxy, method, args));
    }

    private InvocationHandler handler(Object target, String prefix) {
        return (proxy, method, args) -> {
            long t0 = System.nanoTime();
            try {
                return invoke(target, method, args);
            } finally {
                long dt = System.nanoTime() - t0;
                long[] acc = totals.computeIfAbsent(prefix + method.getName(), k -> new long[2]);
                acc[0] += dt;
                acc[1]++;
            }
        };
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Nanoseconds spent in {@code name}. */
    long nanos(String name) {
        long[] a = totals.get(name);
        return a == null ? 0 : a[0];
    }

    /** {name: [nanoseconds, calls]}, sorted by name. */
    Map<String, long[]> totals() {
        return totals;
    }

    void reset() {
        totals.clear();
    }
}
