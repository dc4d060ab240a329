package io.xfaas.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ScopeType;

/** The {@code xfaas} command: the one entry point of the {@code ./xfaas} script. */
// INHERIT: every subcommand, at any depth, gets --help and --version from here.
@Command(
    name = "xfaas",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = XfaasCli.ManifestVersion.class,
    description = "Asynchronous function calls on Apache Flink and Apache Kafka.",
    subcommands = {
      LocalCommand.class,
      SubmitCommand.class,
      TenantsCommand.class,
      ClusterCommand.class,
      SqlCommand.class,
      DlqCommand.class,
      ReplayCommand.class,
      AuditCommand.class,
      BenchCommand.class,
      WhatIfCommand.class,
      KeysCommand.class
    })
public final class XfaasCli implements Runnable {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command tree, for main and for tests that run a command in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new XfaasCli());
  }

  /** {@code xfaas} alone: say what there is to run. */
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** The version the jar's manifest carries (unknown when run from classes). */
  static final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = XfaasCli.class.getPackage().getImplementationVersion();
      return new String[] {"xfaas " + (v == null ? "(unknown version)" : v)};
    }
  }
}
