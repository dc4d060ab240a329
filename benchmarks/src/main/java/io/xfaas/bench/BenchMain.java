package io.xfaas.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code xfaas bench} in a JVM of its own, so that the command line's classpath carries neither the
 * benchmarks nor JMH. The command checks its options and passes them on as:
 *
 * <pre>
 * --jmh [JMH-ARGS...]
 * --signing [CALLS]
 * --work DIR --out FILE [--quick] [--runs N] [--duration-ms MS] [--tenants N,N,...] [--profile]
 *     [--set KEY=VALUE]...
 * </pre>
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--jmh")) {
      JmhMain.run(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("--signing")) {
      SigningCpuCost.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    BenchRunner.run(settings(args), workDir(args), System.out);
  }

  /** The bench's settings from the arguments. */
  static BenchSettings settings(String[] args) {
    boolean quick = List.of(args).contains("--quick");
    BenchSettings settings = quick ? BenchSettings.quickDefaults() : BenchSettings.defaults();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> {}
        case "--profile" -> settings = settings.with(b -> b.profile = true);
        case "--runs" -> {
          int runs = Integer.parseInt(args[++i]);
          settings = settings.with(b -> b.runs = runs);
        }
        case "--duration-ms" -> {
          Duration duration = Duration.ofMillis(Long.parseLong(args[++i]));
          settings = settings.with(b -> b.duration = duration);
        }
        case "--tenants" -> {
          List<Integer> counts = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
          settings = settings.with(b -> b.tenantCounts = counts);
        }
        case "--out" -> settings = settings.withOut(Path.of(args[++i]));
        case "--set" -> {
          String kv = args[++i];
          int eq = kv.indexOf('=');
          if (eq < 1) throw new IllegalArgumentException("--set needs KEY=VALUE: " + kv);
          Map<String, String> overrides = new LinkedHashMap<>(settings.overrides());
          overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
          settings = settings.with(b -> b.overrides = overrides);
        }
        case "--work" -> i++;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    return settings;
  }

  /** Where the broker and checkpoints go: {@code --work DIR}. */
  static Path workDir(String[] args) {
    int i = List.of(args).indexOf("--work");
    if (i < 0 || i + 1 >= args.length) throw new IllegalArgumentException("--work DIR is required");
    return Path.of(args[i + 1]);
  }
}
