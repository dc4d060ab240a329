package io.xfaas.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that runs against the xfaas configuration: it takes the configuration flags every such
 * command shares ({@link ConfigOptions}), and its spec, for its output and usage errors.
 */
abstract class ConfiguredCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions configOptions;

  /** Milliseconds of the duration {@code option} was given; a usage error if it is not one. */
  long duration(String text, String option) {
    return Durations.ofOption(text, option, spec.commandLine());
  }
}
