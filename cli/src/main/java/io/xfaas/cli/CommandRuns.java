package io.xfaas.cli;

import io.xfaas.config.XfaasConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** How the Kafka-facing commands turn bad arguments and unreachable Kafka into messages. */
final class CommandRuns {
  private CommandRuns() {}

  /** The work of a command, once its arguments are read. */
  interface Body {
    int run(PrintWriter out, PrintWriter err);
  }

  /**
   * Reads the arguments; a bad argument (IllegalArgumentException) or an unreadable file becomes a
   * usage error.
   */
  static <T> T arguments(CommandSpec spec, Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException | UncheckedIOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** The configuration, then {@code check} of the other arguments, as {@link #arguments}. */
  static XfaasConfig resolve(CommandSpec spec, ConfigOptions config, Consumer<XfaasConfig> check) {
    return arguments(
        spec,
        () -> {
          XfaasConfig resolved = config.resolve();
          check.accept(resolved);
          return resolved;
        });
  }

  /**
   * Runs the body; an IllegalStateException (Kafka unreachable) is printed and exits {@code
   * failed}. Both streams are flushed either way.
   */
  static int reportingFailure(CommandSpec spec, int failed, Body body) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return body.run(out, err);
    } catch (IllegalStateException e) {
      err.println(e.getMessage());
      return failed;
    } finally {
      out.flush();
      err.flush();
    }
  }
}
