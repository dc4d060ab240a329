package io.xfaas.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time per {@link Component} between two snapshots: the CPU time of every live Java thread
 * (ThreadMXBean), grouped by thread name; what the process used beyond that (OS process CPU time
 * minus the threads' sum) is GC, JIT and native threads, reported as unattributed. A thread that
 * ends between the snapshots loses its CPU; the bench's threads live through each run.
 */
public final class CpuMeter {
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  public CpuMeter() {
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
  }

  /** CPU nanoseconds per thread id, with the threads' names, and the process's total. */
  public record Snapshot(Map<Long, Long> cpuByThread, Map<Long, String> names, long processCpu) {}

  public Snapshot snapshot() {
    Map<Long, Long> cpu = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long t = threads.getThreadCpuTime(ids[i]);
      if (t < 0 || infos[i] == null) continue;
      cpu.put(ids[i], t);
      names.put(ids[i], infos[i].getThreadName());
    }
    return new Snapshot(cpu, names, processCpu());
  }

  /** CPU nanoseconds per component from {@code before} to {@code after}. */
  public static Map<Component, Long> between(Snapshot before, Snapshot after) {
    Map<Component, Long> out = new EnumMap<>(Component.class);
    for (Component c : Component.values()) out.put(c, 0L);
    long threadSum = 0;
    for (Map.Entry<Long, Long> e : after.cpuByThread().entrySet()) {
      long d = e.getValue() - before.cpuByThread().getOrDefault(e.getKey(), 0L);
      if (d <= 0) continue;
      threadSum += d;
      out.merge(Component.of(after.names().get(e.getKey())), d, Long::sum);
    }
    long process = after.processCpu() - before.processCpu();
    if (process > 0) out.put(Component.UNATTRIBUTED, Math.max(0, process - threadSum));
    return out;
  }

  /** Thread names with CPU between the snapshots, busiest first: to check the grouping. */
  public static Map<String, Long> byThread(Snapshot before, Snapshot after) {
    Map<String, Long> out = new HashMap<>();
    after
        .cpuByThread()
        .forEach(
            (id, t) -> {
              long d = t - before.cpuByThread().getOrDefault(id, 0L);
              if (d > 0) out.merge(after.names().get(id), d, Long::sum);
            });
    return out;
  }

  private static long processCpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
