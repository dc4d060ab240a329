package io.xfaas.bench.timeshift;

import io.xfaas.replay.TimeshiftSettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The time-shifting benchmark in a JVM of its own: {@code xfaas replay --bench} writes its {@link
 * TimeshiftSettings} to a file and starts this with the file's path, so that the command line's
 * classpath carries neither the benchmarks nor JMH. Exits 0 when both runs completed.
 */
public final class TimeshiftMain {
  private TimeshiftMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: TimeshiftMain SETTINGS.json");
      System.exit(2);
    }
    TimeshiftSettings settings = TimeshiftSettings.read(Path.of(args[0]));
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    TimeshiftBench bench = new TimeshiftBench(settings, out);
    // XFAAS_JAVA_OPTS=-Dxfaas.bench.whatif-validate=true: each run simulated as whatif --validate.
    // -Dxfaas.bench.whatif-history=DIR also writes each run's recorded history there.
    String history = System.getProperty("xfaas.bench.whatif-history");
    if (history != null) bench.withFidelityCheck(java.nio.file.Path.of(history));
    else if (Boolean.getBoolean("xfaas.bench.whatif-validate")) bench.withFidelityCheck();
    boolean ok = bench.run();
    out.flush();
    System.exit(ok ? 0 : 1);
  }
}
