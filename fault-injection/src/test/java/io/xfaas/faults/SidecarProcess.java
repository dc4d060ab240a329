package io.xfaas.faults;

import io.xfaas.config.XfaasConfig;
import io.xfaas.sidecar.SidecarMain;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A worker sidecar in a process of its own ({@link SidecarMain}), for the faults only a process can
 * have: {@code kill -9}, {@code SIGSTOP} / {@code SIGCONT}. Its log goes to {@code target/tmp}.
 */
final class SidecarProcess implements AutoCloseable {
  private final Process process;
  final Path log;

  private SidecarProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static SidecarProcess start(XfaasConfig config, String name) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SidecarMain.class.getName());
    config.effective().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    Path log = Path.of("target", "tmp", name + "-" + System.nanoTime() + ".log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(new File("."))
            .start();
    return new SidecarProcess(p, log);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends {@code signal} (KILL, STOP, CONT, TERM) with the system's {@code kill}. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
    }
  }

  /** Waits for the process to end; its exit status. */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException("sidecar process " + pid() + " did not exit; log " + log);
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        signal("CONT"); // a stopped process cannot die of SIGTERM until continued
      } catch (Exception ignored) {
        // already gone
      }
      process.destroyForcibly();
    }
  }
}
