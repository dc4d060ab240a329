package io.xfaas.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * JFR execution sampling of selected bench runs, summarised as the top frames per component: what
 * {@code jfr print --events jdk.ExecutionSample} shows, counted. Written to PROFILE-data.md next to
 * the results, with the .jfr files kept beside it for a closer look (JMC, {@code jfr}).
 */
public final class Profiler {
  private static final int TOP = 20;

  private final Path out;
  private final Map<String, String> sections = new LinkedHashMap<>();
  private Recording recording;

  public Profiler(Path out) {
    this.out = out;
  }

  public void start(String label) {
    recording = new Recording();
    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
    recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
    recording.setName(label);
    recording.start();
  }

  public void stop(String label, Map<String, Long> cpuByThread) throws IOException {
    recording.stop();
    Path file = out.resolveSibling("profile-" + label.toLowerCase() + ".jfr");
    Files.createDirectories(file.getParent());
    recording.dump(file);
    recording.close();
    sections.put(label, summarise(file, cpuByThread));
  }

  /**
   * Counts samples by component, by top frame, and by io.xfaas method (innermost on the stack, and
   * anywhere on it). Java samples (jdk.ExecutionSample) miss threads that are inside native code,
   * such as RocksDB's JNI calls; those come from jdk.NativeMethodSample and are counted alongside,
   * their top frame marked [native].
   */
  static String summarise(Path jfr, Map<String, Long> cpuByThread) throws IOException {
    Map<Component, Integer> byComponent = new HashMap<>();
    Map<String, Integer> topFrames = new HashMap<>();
    Map<String, Integer> xfaasFrames = new HashMap<>();
    Map<String, Integer> xfaasInclusive = new HashMap<>();
    Map<String, Integer> flinkTopFrames = new HashMap<>();
    int total = 0;
    int nativeSamples = 0;
    int idle = 0;
    String busiest =
        cpuByThread.entrySet().stream()
            .max(Map.Entry.comparingByValue())
            .map(Map.Entry::getKey)
            .orElse("");
    List<RecordedStackTrace> busiestSamples = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      String type = e.getEventType().getName();
      boolean isNative = type.equals("jdk.NativeMethodSample");
      if (!isNative && !type.equals("jdk.ExecutionSample")) continue;
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) continue;
      var sampled = e.getThread("sampledThread");
      String thread = sampled == null ? "" : sampled.getJavaName();
      if (isNative && IDLE.contains(frame(st.getFrames().get(0)))) {
        idle++;
        continue;
      }
      total++;
      if (isNative) nativeSamples++;
      if (thread.equals(busiest)) busiestSamples.add(st);
      Component c = Component.of(thread);
      byComponent.merge(c, 1, Integer::sum);
      String top = frame(st.getFrames().get(0)) + (isNative ? " [native]" : "");
      topFrames.merge(top, 1, Integer::sum);
      if (c == Component.FLINK) flinkTopFrames.merge(top, 1, Integer::sum);
      boolean innermost = true;
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (RecordedFrame f : st.getFrames()) {
        String m = frame(f);
        if (!m.startsWith("io.xfaas.")) continue;
        if (innermost) xfaasFrames.merge(m, 1, Integer::sum);
        innermost = false;
        if (seen.add(m)) xfaasInclusive.merge(m, 1, Integer::sum);
      }
    }
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "%d samples: %d Java (jdk.ExecutionSample, every 10 ms per thread in Java code) and %d"
                + " native (jdk.NativeMethodSample, every 20 ms per thread in a native call, such as"
                + " RocksDB's JNI); %d native samples of idle threads (waiting in epoll, accept,"
                + " park, sleep) left out.%n%n",
            total, total - nativeSamples, nativeSamples, idle));
    busiest(b, busiest, busiestSamples, cpuByThread.getOrDefault(busiest, 0L));
    b.append("Samples by component:\n\n| component | samples | share |\n|---|---:|---:|\n");
    for (Map.Entry<Component, Integer> e : sorted(byComponent)) {
      b.append(
          String.format(
              "| %s | %d | %.0f %% |%n",
              e.getKey().label, e.getValue(), 100.0 * e.getValue() / Math.max(1, total)));
    }
    b.append("### All threads\n\n");
    table(b, "Top frames, all threads", topFrames, total);
    table(b, "Top frames, Flink threads", flinkTopFrames, total);
    table(b, "io.xfaas methods anywhere on the stack (inclusive)", xfaasInclusive, total);
    table(
        b,
        "Innermost io.xfaas method on the stack (self, and library calls it makes)",
        xfaasFrames,
        total);
    b.append(
        "\nBusiest threads (CPU ms over the run, ThreadMXBean: Java and native time):\n\n"
            + "| thread | component | CPU ms |\n|---|---|---:|\n");
    cpuByThread.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(15)
        .forEach(
            e ->
                b.append(
                    String.format(
                        "| %s | %s | %.0f |%n",
                        e.getKey().replace("|", "/"),
                        Component.of(e.getKey()).label,
                        e.getValue() / 1e6)));
    return b.toString();
  }

  private static final java.util.Set<String> IDLE =
      java.util.Set.of(
          "sun.nio.ch.EPoll.wait",
          "sun.nio.ch.Net.accept",
          "sun.nio.ch.Net.poll",
          "java.lang.Thread.sleep",
          "jdk.internal.misc.Unsafe.park",
          "java.lang.Object.wait");

  /** Where the busiest thread (the scheduler's operator, in a scheduler run) spends its time. */
  private static void busiest(
      StringBuilder b, String thread, List<RecordedStackTrace> samples, long cpuNanos) {
    Map<String, Integer> leaf = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    for (RecordedStackTrace st : samples) {
      leaf.merge(category(st), 1, Integer::sum);
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (RecordedFrame f : st.getFrames()) {
        String m = frame(f);
        if (INTERESTING.matcher(m).lookingAt() && seen.add(m)) inclusive.merge(m, 1, Integer::sum);
      }
    }
    b.append(
        String.format(
            "### The busiest thread%n%n`%s`: %.0f ms CPU over the run, %d samples.%n%n",
            thread.replace("|", "/"), cpuNanos / 1e6, samples.size()));
    b.append(
        "Its samples by what the innermost frame is doing:\n\n| doing | samples | share |\n|---|---:|---:|\n");
    for (Map.Entry<String, Integer> e : sorted(leaf)) {
      b.append(
          String.format(
              "| %s | %d | %.0f %% |%n",
              e.getKey(), e.getValue(), 100.0 * e.getValue() / Math.max(1, samples.size())));
    }
    table(
        b,
        "Its xfaas, state, timer and serializer methods anywhere on the stack (inclusive)",
        inclusive,
        samples.size(),
        30);
    b.append('\n');
  }

  private static final java.util.regex.Pattern INTERESTING =
      java.util.regex.Pattern.compile(
          "io\\.xfaas\\.|org\\.rocksdb\\.|org\\.apache\\.flink\\.state\\.|org\\.apache\\.flink\\.runtime\\.state\\."
              + "|org\\.apache\\.flink\\.streaming\\.api\\.operators\\.InternalTimerServiceImpl"
              + "|org\\.apache\\.flink\\.connector\\.kafka\\.sink");

  /** What a sample's innermost frames are busy with, in a few coarse kinds. */
  private static String category(RecordedStackTrace st) {
    List<RecordedFrame> frames = st.getFrames();
    String top = frame(frames.get(0));
    if (top.startsWith("org.rocksdb.")) return "RocksDB call (JNI)";
    for (RecordedFrame f : frames.subList(0, Math.min(12, frames.size()))) {
      String m = frame(f);
      if (m.contains("InternalTimerServiceImpl")
          || m.contains("PriorityQueueSet")
          || m.contains("TimerSerializer")) {
        return "timers (register, delete, fire)";
      }
      if (m.startsWith("org.apache.flink.api.") && m.contains("Serializer"))
        return "Flink serializers (state values)";
      if (m.startsWith("org.apache.flink.state.")
          || m.startsWith("org.apache.flink.runtime.state.")) {
        return "Flink state access (keys, iterators)";
      }
      if (m.startsWith("com.fasterxml.jackson.")) return "JSON (Jackson)";
      if (m.startsWith("org.apache.kafka.")) return "Kafka client";
      if (m.startsWith("io.xfaas.")) return "xfaas code itself";
    }
    return "other (Flink runtime, JDK)";
  }

  private static void table(StringBuilder b, String title, Map<String, Integer> counts, int total) {
    table(b, title, counts, total, TOP);
  }

  private static void table(
      StringBuilder b, String title, Map<String, Integer> counts, int total, int top) {
    b.append("\n")
        .append(title)
        .append(":\n\n| frame | samples | share of all |\n|---|---:|---:|\n");
    int i = 0;
    for (Map.Entry<String, Integer> e : sorted(counts)) {
      if (i++ == top) break;
      b.append(
          String.format(
              "| `%s` | %d | %.1f %% |%n",
              e.getKey(), e.getValue(), 100.0 * e.getValue() / Math.max(1, total)));
    }
  }

  private static <K> List<Map.Entry<K, Integer>> sorted(Map<K, Integer> m) {
    List<Map.Entry<K, Integer>> l = new ArrayList<>(m.entrySet());
    l.sort(Map.Entry.<K, Integer>comparingByValue().reversed());
    return l;
  }

  private static String frame(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  /** Writes PROFILE-data.md: the run's headline figures, then each profiled run's summary. */
  public void write(BenchReport report) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# JFR samples of xfaas bench (generated; the analysis is in PROFILE.md)\n\n");
    b.append("Written by `xfaas bench --profile` on ").append(report.started()).append(".\n\n");
    b.append(report.targetsMarkdown()).append("\n");
    sections.forEach(
        (label, text) -> b.append("## ").append(label).append("\n\n").append(text).append("\n"));
    Files.writeString(out, b.toString());
  }
}
