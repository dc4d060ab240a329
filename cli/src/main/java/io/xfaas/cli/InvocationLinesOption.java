package io.xfaas.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --file}: where a command reads invocations, one JSON object a line (a picocli mixin of
 * {@code xfaas submit} and {@code xfaas keys sign}).
 */
final class InvocationLinesOption {
  @Option(
      names = "--file",
      paramLabel = "FILE",
      defaultValue = "-",
      description = "Invocations, one JSON per line; - for stdin (default).")
  String file;

  /** The lines: the file's, or stdin's for {@code -}. */
  BufferedReader open() throws IOException {
    if (file.equals("-")) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
  }
}
