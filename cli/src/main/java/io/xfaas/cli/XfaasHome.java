package io.xfaas.cli;

import java.nio.file.Path;

/**
 * The repository root: where {@code flink-conf/} and the {@code .xfaas/} work folder live. The
 * {@code ./xfaas} script passes it as {@code -Dxfaas.home}; without it, the working directory.
 */
final class XfaasHome {
  static final String PROPERTY = "xfaas.home";

  private XfaasHome() {}

  static Path root() {
    String home = System.getProperty(PROPERTY);
    return Path.of(home == null || home.isBlank() ? "" : home).toAbsolutePath().normalize();
  }

  static Path resolve(String relative) {
    return root().resolve(relative);
  }

  /** Scratch space that never leaves the project: {@code .xfaas/} is git-ignored. */
  static Path workDir() {
    return resolve(".xfaas");
  }
}
