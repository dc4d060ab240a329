package io.xfaas.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Azure Functions 2019 trace as kept in {@code workloads/azure-functions-2019-*}: {@code
 * *_inv.csv} (HashFunction, HashApp, HashOwner, then invocations per minute of the day) and {@code
 * *_run.csv} (execution time per function: Average and percentiles, in ms).
 *
 * <p>Owners become tenants and functions become functions, under short readable names: {@code
 * t-<first 8 hex of HashOwner>} and {@code f-<first 8 hex of HashFunction>}.
 */
public record AzureTrace(List<TraceFunction> functions) {
  /** Minutes in the trace's day. */
  public static final int MINUTES = 1440;

  /** What a function without a run-time row runs for, in ms: the trace's typical median. */
  static final long DEFAULT_RUN_MS = 1000;

  public AzureTrace {
    functions = List.copyOf(functions);
  }

  /**
   * One function of the trace.
   *
   * @param tenant the owner's short name, {@code t-<8 hex>}
   * @param function the function's short name, {@code f-<8 hex>}
   * @param perMinute invocations in each minute of the day (index 0 = minute_1)
   * @param runTimes its execution times
   */
  public record TraceFunction(String tenant, String function, int[] perMinute, RunTimes runTimes) {
    public long total() {
      long n = 0;
      for (int c : perMinute) n += c;
      return n;
    }
  }

  /**
   * Execution times of one function, in ms: the average and the percentiles 0, 1, 25, 50, 75, 99
   * and 100 of the trace's {@code percentile_Average_*} columns.
   */
  public record RunTimes(double average, double[] percentiles) {
    static final double[] RANKS = {0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0};

    static RunTimes constant(double ms) {
      return new RunTimes(ms, new double[] {ms, ms, ms, ms, ms, ms, ms});
    }

    /**
     * The run time at quantile {@code u} in [0, 1], interpolated linearly between the recorded
     * percentiles: sampling with a uniform {@code u} follows the function's distribution.
     */
    public double quantile(double u) {
      double q = Math.max(0, Math.min(1, u));
      for (int i = 1; i < RANKS.length; i++) {
        if (q <= RANKS[i]) {
          double span = RANKS[i] - RANKS[i - 1];
          double f = span == 0 ? 0 : (q - RANKS[i - 1]) / span;
          return percentiles[i - 1] + f * (percentiles[i] - percentiles[i - 1]);
        }
      }
      return percentiles[RANKS.length - 1];
    }
  }

  /** Total invocations in each minute of the day, over all functions. */
  public long[] perMinute() {
    long[] out = new long[MINUTES];
    for (TraceFunction f : functions) {
      for (int m = 0; m < MINUTES; m++) out[m] += f.perMinute[m];
    }
    return out;
  }

  public long total() {
    long n = 0;
    for (TraceFunction f : functions) n += f.total();
    return n;
  }

  /** Reads {@code *_inv.csv} and {@code *_run.csv} from {@code dir}. */
  public static AzureTrace read(Path dir) {
    Path inv = only(dir, "_inv.csv");
    Path run = only(dir, "_run.csv");
    Map<String, RunTimes> runTimes = readRunTimes(run);
    List<TraceFunction> functions = new ArrayList<>();
    Map<String, String> shortNames = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(inv, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null || !header.startsWith("HashFunction,HashApp,HashOwner,minute_1,")) {
        throw new IllegalArgumentException(inv + " does not start with the invocations header");
      }
      String line;
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) continue;
        String[] cols = line.split(",", -1);
        if (cols.length != 3 + MINUTES) {
          throw new IllegalArgumentException(
              inv + " line " + lineNo + ": " + cols.length + " columns, not " + (3 + MINUTES));
        }
        int[] counts = new int[MINUTES];
        for (int m = 0; m < MINUTES; m++) counts[m] = Integer.parseInt(cols[3 + m].strip());
        String function = "f-" + hex8(cols[0]);
        // Two hashes sharing their first 8 hex digits would merge two functions: refuse.
        String before = shortNames.putIfAbsent(function, cols[0]);
        if (before != null && !before.equals(cols[0])) {
          throw new IllegalArgumentException("two functions shorten to " + function);
        }
        RunTimes rt = runTimes.getOrDefault(cols[0], RunTimes.constant(DEFAULT_RUN_MS));
        functions.add(new TraceFunction("t-" + hex8(cols[2]), function, counts, rt));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new AzureTrace(functions);
  }

  private static Map<String, RunTimes> readRunTimes(Path run) {
    Map<String, RunTimes> out = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(run, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) throw new IllegalArgumentException(run + " is empty");
      List<String> names = List.of(header.split(","));
      int fn = names.indexOf("HashFunction");
      int avg = names.indexOf("Average");
      String[] pcts = {"0", "1", "25", "50", "75", "99", "100"};
      int[] pcol = new int[pcts.length];
      for (int i = 0; i < pcts.length; i++)
        pcol[i] = names.indexOf("percentile_Average_" + pcts[i]);
      if (fn < 0 || avg < 0) throw new IllegalArgumentException(run + ": unexpected header");
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) continue;
        String[] c = line.split(",", -1);
        double average = Double.parseDouble(c[avg]);
        double[] p = new double[pcts.length];
        for (int i = 0; i < pcts.length; i++) {
          p[i] = pcol[i] < 0 ? average : Double.parseDouble(c[pcol[i]]);
        }
        out.put(c[fn], new RunTimes(average, p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String hex8(String hash) {
    String h = hash.strip();
    return h.length() <= 8 ? h : h.substring(0, 8);
  }

  private static Path only(Path dir, String suffix) {
    try (var files = Files.list(dir)) {
      List<Path> found =
          files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
      if (found.size() != 1) {
        throw new IllegalArgumentException(
            "expected one *" + suffix + " in " + dir + ", found " + found.size());
      }
      return found.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trace folder " + dir, e);
    }
  }
}
