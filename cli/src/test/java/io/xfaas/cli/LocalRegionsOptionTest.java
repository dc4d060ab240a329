package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code xfaas local --regions}: how the list is read, and names refused before anything starts.
 */
class LocalRegionsOptionTest {
  @Test
  void readsACommaSeparatedList() {
    CommandLine cli = XfaasCli.commandLine();
    CommandLine.ParseResult parsed = cli.parseArgs("local", "--regions", "a,b,c");
    LocalCommand local = parsed.subcommand().commandSpec().commandLine().getCommand();
    assertThat(local.regions).containsExactly("a", "b", "c");
  }

  @Test
  void withoutTheOptionThereIsOneRegion() {
    CommandLine cli = XfaasCli.commandLine();
    LocalCommand local =
        cli.parseArgs("local").subcommand().commandSpec().commandLine().getCommand();
    assertThat(local.regions).isNull();
  }

  @Test
  void aNameThatCannotBePartOfATopicNameIsRefused() {
    CommandLine cli = XfaasCli.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("local", "--regions", "a,b/c")).isEqualTo(2);
    assertThat(err.toString()).contains("bad region name 'b/c'");
  }
}
