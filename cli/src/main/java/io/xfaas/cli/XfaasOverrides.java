package io.xfaas.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code -D KEY=VALUE}: xfaas options given on the command line, over any file and over the
 * defaults (a picocli mixin of {@link ConfigOptions} and {@code xfaas bench}).
 */
final class XfaasOverrides {
  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Overrides one option, e.g. -D xfaas.region=eu1. Repeatable.")
  Map<String, String> values = new LinkedHashMap<>();
}
