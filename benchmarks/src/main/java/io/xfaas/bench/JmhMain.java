package io.xfaas.bench;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH microbenchmarks ({@code io.xfaas.bench.jmh}) with short settings unless told
 * otherwise: one fork, 2 warm-up and 3 measured iterations of 1 s each, about 1.5 minutes for all.
 * Any argument is passed to JMH and replaces these defaults ({@code -h} lists them), e.g. {@code
 * java -jar benchmarks/target/benchmarks.jar -f 3 -wi 5 -i 10 Serde}.
 */
public final class JmhMain {
  /** Short enough for a shared 2-core machine; raise them for publishable numbers. */
  static final List<String> SHORT =
      List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "1s");

  private JmhMain() {}

  public static void main(String[] args) throws Exception {
    run(args);
  }

  /** Runs JMH in this JVM (its forks are separate JVMs) and returns how many benchmarks ran. */
  public static int run(String[] args) throws Exception {
    CommandLineOptions options = new CommandLineOptions(arguments(args));
    if (options.shouldHelp()) {
      options.showHelp();
      return 0;
    }
    if (options.shouldList()) {
      new Runner(options).list();
      return 0;
    }
    return new Runner(options).run().size();
  }

  static String[] arguments(String[] args) {
    List<String> all = new ArrayList<>();
    if (args.length == 0) {
      all.addAll(SHORT);
      all.add("io.xfaas.bench.jmh");
    } else {
      all.addAll(List.of(args));
    }
    return all.toArray(String[]::new);
  }
}
