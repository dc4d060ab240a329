package io.xfaas.cli;

import io.xfaas.local.StandaloneCluster;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a main class of the benchmarks module in a child JVM, on {@code benchmarks/target/
 * benchmarks.jar} and {@code benchmarks/target/lib/*} (both built by {@code mvn package}): the
 * benchmarks bring JMH, which stays out of the command line's own classpath. The child gets this
 * JVM's {@code --add-opens}, {@code -X} and {@code -D} options; its output goes to {@code out}, its
 * errors to this JVM's; it is stopped with this JVM.
 */
final class BenchmarkJvm {
  static final String JAR = "benchmarks/target/benchmarks.jar";
  static final String LIB = "benchmarks/target/lib";

  /** The entry points of the benchmarks module that the command line runs. */
  static final String BENCH_MAIN = "io.xfaas.bench.BenchMain";

  static final String TIMESHIFT_MAIN = "io.xfaas.bench.timeshift.TimeshiftMain";

  private BenchmarkJvm() {}

  /** Runs {@code mainClass} with {@code args} and returns its exit code. */
  static int run(String mainClass, List<String> args, PrintWriter out)
      throws IOException, InterruptedException {
    Path jar = XfaasHome.resolve(JAR);
    Path lib = XfaasHome.resolve(LIB);
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IllegalStateException(
          "the benchmarks are not built: " + jar + " or " + lib + " is missing (mvn package)");
    }
    List<String> command = new ArrayList<>();
    command.add(StandaloneCluster.javaBinary());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports")) command.add(a);
      else if (a.startsWith("-X") || a.startsWith("-D")) command.add(a);
    }
    if (command.stream().noneMatch(a -> a.startsWith("-D" + XfaasHome.PROPERTY + "="))) {
      command.add("-D" + XfaasHome.PROPERTY + "=" + XfaasHome.root());
    }
    command.add("-cp");
    command.add(jar + File.pathSeparator + lib.resolve("*"));
    command.add(mainClass);
    command.addAll(args);
    Process child =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Thread stopper = new Thread(() -> stop(child), "xfaas-benchmark-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      copy(child.getInputStream(), out);
      return child.waitFor();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException e) {
        // the JVM is already stopping: the hook stops the child
      }
    }
  }

  /** Copies as it comes, partial lines too, so that progress shows at once. */
  private static void copy(InputStream in, PrintWriter out) throws IOException {
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      char[] buf = new char[8192];
      for (int n; (n = r.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    }
  }

  private static void stop(Process child) {
    child.destroy();
    try {
      child.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
