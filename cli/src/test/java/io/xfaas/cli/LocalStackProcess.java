package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./xfaas local ARGS} as a user runs it: a separate process, reached only through its ports
 * and its console. {@link #start} returns once the stack says it is ready; {@link #close} stops it
 * with SIGTERM (its shutdown hook stops the parts in order) and prints what it said, into the
 * failsafe report for when a test fails.
 */
final class LocalStackProcess implements AutoCloseable {
  private static final Duration STOP = Duration.ofSeconds(60);

  private final Process process;
  private final StringBuffer console = new StringBuffer();
  private final Thread reader;

  private LocalStackProcess(Process process) {
    this.process = process;
    // Collects the console on a thread, so the pipe never fills and blocks the process.
    this.reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  console.append(line).append('\n');
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "xfaas-local-console");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code ./xfaas local ARGS} and waits until it is ready, at most {@code startup}. */
  static LocalStackProcess start(Duration startup, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(repoRoot().resolve("xfaas").toString(), "local"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Maven has just packaged the jar and lib/ this test runs against: never rebuild from here.
    builder.environment().put("XFAAS_SKIP_BUILD", "1");
    LocalStackProcess stack = new LocalStackProcess(builder.start());
    await("xfaas local to be ready")
        .atMost(startup)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              assertThat(stack.process.isAlive())
                  .as("xfaas local died:%n%s", stack.console())
                  .isTrue();
              return stack.console().contains("xfaas local is ready");
            });
    return stack;
  }

  Process process() {
    return process;
  }

  /** What the stack has printed so far. */
  String console() {
    return console.toString();
  }

  /** Waits until the process closed its console, so everything it printed is in. */
  void awaitConsoleEnd() throws InterruptedException {
    reader.join(10_000);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) process.destroyForcibly();
    }
    System.out.print(console());
  }

  /** The directory holding the {@code xfaas} script: the cli module's parent. */
  static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("xfaas")) && Files.isDirectory(p.resolve("cli"))) return p;
    }
    throw new IllegalStateException("no xfaas script above " + Path.of("").toAbsolutePath());
  }
}
