package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code docker-compose -f FILE... config}: the files checked and merged by Docker Compose. */
final class ComposeConfig {
  private ComposeConfig() {}

  /**
   * The merged configuration of {@code files}, each layered over the ones before; asserts that
   * Docker Compose accepts them. Skips the test where docker-compose is not installed.
   */
  static String of(Path... files) throws Exception {
    assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
    List<String> command = new ArrayList<>(List.of("docker-compose"));
    for (Path f : files) command.addAll(List.of("-f", f.toString()));
    command.add("config");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) return true;
    }
    return false;
  }
}
