package io.xfaas.sidecar;

import io.xfaas.config.OptionType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
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

  /**
   * Name prefix to the name of the function that serves every call whose function has that prefix
   * and no function of its own: how one emulator serves a replayed trace's many function names.
   */
  private final Map<String, String> byPrefix = new ConcurrentHashMap<>();

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

  /**
   * The function of that name; else, when the name starts with a prefix served by {@link
   * #servePrefix}, the function serving the longest such prefix; else null.
   */
  public XfaasFunction get(String name) {
    if (name == null) return null;
    XfaasFunction exact = byName.get(name);
    if (exact != null || byPrefix.isEmpty()) return exact;
    String best = null;
    for (String prefix : byPrefix.keySet()) {
      if (name.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best == null ? null : byName.get(byPrefix.get(best));
  }

  /**
   * Serves every function name that starts with {@code prefix} (and has no function of its own) by
   * the function named {@code functionName}. Resolved per call, so the order of registration does
   * not matter; while no function has that name, such calls find none.
   *
   * @return this
   */
  public FunctionRegistry servePrefix(String prefix, String functionName) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("a served prefix must not be empty");
    }
    byPrefix.put(prefix, Objects.requireNonNull(functionName, "functionName"));
    return this;
  }

  /**
   * Serves the prefixes of a {@code prefix=function,prefix2=function2} list (the form of {@code
   * xfaas.sidecar.prefix-functions}; blank: none).
   *
   * @return this
   * @throws IllegalArgumentException if an entry is not {@code prefix=function}
   */
  public FunctionRegistry servePrefixes(String list) {
    return list == null ? this : servePrefixes(OptionType.LIST.parse(list));
  }

  /** {@code prefix=function} entries, as {@code xfaas.sidecar.prefix-functions} gives them. */
  public FunctionRegistry servePrefixes(List<String> entries) {
    for (String entry : entries) {
      String e = entry.strip();
      if (e.isEmpty()) continue;
      int eq = e.indexOf('=');
      if (eq <= 0 || eq == e.length() - 1) {
        throw new IllegalArgumentException(
            "prefix functions must be prefix=function, not '" + e + "'");
      }
      servePrefix(e.substring(0, eq).strip(), e.substring(eq + 1).strip());
    }
    return this;
  }

  /** The served prefixes and the function serving each, sorted by prefix. */
  public Map<String, String> prefixes() {
    return new TreeMap<>(byPrefix);
  }

  /** The registered names, sorted. */
  public Set<String> names() {
    return new TreeSet<>(byName.keySet());
  }
}
