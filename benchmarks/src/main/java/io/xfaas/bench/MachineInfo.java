package io.xfaas.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The machine a bench ran on, for the results file: cores, memory, JDK, kernel and load. */
public final class MachineInfo {
  private MachineInfo() {}

  public static String describe() {
    Runtime rt = Runtime.getRuntime();
    long totalMem = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      totalMem = os.getTotalMemorySize();
    }
    return String.format(
        "- cores: %d (available to the JVM)%n- memory: %.1f GiB physical, JVM max heap %.1f GiB%n"
            + "- JDK: %s %s (%s)%n- uname: %s%n- CPU: %s%n- load average at start: %s",
        rt.availableProcessors(),
        totalMem / (1024.0 * 1024 * 1024),
        rt.maxMemory() / (1024.0 * 1024 * 1024),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("java.vendor"),
        uname(),
        cpuModel(),
        loadAverage());
  }

  /** The 1, 5 and 15 minute load averages, from /proc/loadavg where there is one. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return String.format(
          "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  private static String uname() {
    try {
      Process p = new ProcessBuilder("uname", "-a").redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return s;
    } catch (IOException e) {
      return System.getProperty("os.name") + " " + System.getProperty("os.version");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return System.getProperty("os.name");
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
