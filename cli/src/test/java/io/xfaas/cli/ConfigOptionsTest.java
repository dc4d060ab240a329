package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ConfigOptionsTest {
  /** The configured command that {@code args} select, parsed but not run. */
  private static ConfiguredCommand parsed(String... args) {
    CommandLine cli = XfaasCli.commandLine();
    List<CommandLine> chain = cli.parseArgs(args).asCommandLineList();
    return (ConfiguredCommand) chain.get(chain.size() - 1).getCommand();
  }

  @Test
  void overridesAndTheBootstrapServersReachTheConfiguration() {
    ConfiguredCommand dlqList =
        parsed(
            "dlq",
            "list",
            "--bootstrap-servers",
            "kafka:9",
            "-D",
            "xfaas.region=eu1",
            "-D",
            "xfaas.scheduler.checkpoint-interval=1s");
    var config = dlqList.configOptions.resolve();
    assertThat(config.region()).isEqualTo("eu1");
    assertThat(config.topics().dlq()).contains("eu1");
    assertThat(config.get(io.xfaas.config.XfaasOptions.BOOTSTRAP_SERVERS)).isEqualTo("kafka:9");
  }
}
