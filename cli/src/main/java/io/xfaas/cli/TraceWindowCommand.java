package io.xfaas.cli;

import io.xfaas.replay.ReplaySettings;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * A command over a window of a trace: it takes the trace-window options ({@link
 * TraceWindowOptions}).
 */
abstract class TraceWindowCommand extends ConfiguredCommand {
  @Mixin TraceWindowOptions traceWindow;

  /** The window from the options, the unset ones taken from {@code defaults}. */
  ReplaySettings window(TraceWindowOptions.Defaults defaults) {
    return traceWindow.settings(defaults, spec.commandLine());
  }

  /** The trace folder, resolved against the repository root. */
  Path traceDir() {
    return XfaasHome.resolve(traceWindow.trace).normalize();
  }
}
