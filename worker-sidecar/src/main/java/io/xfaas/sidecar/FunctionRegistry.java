package io.xfaas.sidecar;

import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The functions a sidecar can run, by name. Thread-safe: a function may be registered while the
 * sidecar runs, and becomes callable at once.
 *
 * <pre>{@code
 * FunctionRegistry functions = FunctionRegistry.fromServiceLoader(); // echo, sleep, fail, ...
 * functions.register(new MyFunction());
 * }</pre>
 */
public final class FunctionRegistry {
  private final Map<String, XfaasFunction> byName = new ConcurrentHashMap<>();

  /** An empty registry. */
  public FunctionRegistry() {}

  /** A registry of every {@link XfaasFunction} that the context class loader's services list. */
  public static FunctionRegistry fromServiceLoader() {
    return fromServiceLoader(Thread.currentThread().getContextClassLoader());
  }

  /** A registry of every {@link XfaasFunction} that {@code loader}'s services list. */
  public static FunctionRegistry fromServiceLoader(ClassLoader loader) {
    FunctionRegistry registry = new FunctionRegistry();
    ServiceLoader.load(XfaasFunction.class, loader).forEach(registry::register);
    return registry;
  }

  /**
   * Adds a function, after its {@link XfaasFunction#warmUp()}.
   *
   * @return this
   * @throws IllegalArgumentException if another function already has its name: two implementations
   *     of one name would make calls run whichever happened to load last
   * @throws IllegalStateException if its warm-up fails: a function that cannot serve is not added
   */
  public FunctionRegistry register(XfaasFunction function) {
    Objects.requireNonNull(function, "function");
    String name = Objects.requireNonNull(function.name(), "function name");
    if (byName.get(name) == function) return this;
    warm(function);
    XfaasFunction before = byName.putIfAbsent(name, function);
    if (before != null && before != function) {
      throw new IllegalArgumentException(
          "function '"
              + name
              + "' is registered twice: "
              + before.getClass().getName()
              + " and "
              + function.getClass().getName());
    }
    return this;
  }

  /** Warms a function up before it takes calls: at registration, never per call. */
  private static void warm(XfaasFunction function) {
    try {
      function.warmUp();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("warming up '" + function.name() + "' was interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "function '" + function.name() + "' failed its warm-up: " + e.getMessage(), e);
    }
  }

  /** The function of that name, or null when there is none. */
  public XfaasFunction get(String name) {
    return name == null ? null : byName.get(name);
  }

  /** The registered names, sorted. */
  public Set<String> names() {
    return new TreeSet<>(byName.keySet());
  }
}
