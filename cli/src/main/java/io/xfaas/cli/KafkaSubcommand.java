package io.xfaas.cli;

import io.xfaas.config.XfaasConfig;
import java.io.PrintWriter;

/**
 * What the subcommands of {@code dlq} and {@code tenants} share: configuration, a Kafka client
 * opened for the run and closed after it, and errors as messages.
 */
abstract class KafkaSubcommand<C extends AutoCloseable> extends ConfiguredCommand {
  /** Exit code of a command that could not do its job (e.g. no such tenant, Kafka unreachable). */
  static final int FAILED = 1;

  @Override
  public final Integer call() {
    XfaasConfig resolved = CommandRuns.resolve(spec, configOptions, this::check);
    return CommandRuns.reportingFailure(
        spec,
        FAILED,
        (out, err) -> {
          try (C client = open(resolved)) {
            return run(resolved, client, out, err);
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) { // only close() can throw a checked one
            throw new IllegalStateException(e.getMessage(), e);
          }
        });
  }

  /** Validates the arguments before Kafka is contacted; throws IllegalArgumentException. */
  void check(XfaasConfig config) {}

  abstract C open(XfaasConfig config);

  abstract int run(XfaasConfig config, C client, PrintWriter out, PrintWriter err);
}
