package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line of {@code xfaas bench}; the bench itself is BenchQuickITCase's. */
class BenchCommandTest {

  @Test
  void helpListsTheOptions() {
    StringWriter out = new StringWriter();
    CommandLine cli = XfaasCli.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("bench", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--runs", "--duration", "--quick", "--tenants", "--out", "--jmh", "--profile", "-D");
  }

  @Test
  void badValuesAreRefusedBeforeAnythingStarts() {
    StringWriter err = new StringWriter();
    CommandLine cli = XfaasCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("bench", "--runs", "0")).isEqualTo(2);
    assertThat(cli.execute("bench", "--duration", "500ms")).isEqualTo(2);
    assertThat(cli.execute("bench", "--duration", "soon")).isEqualTo(2);
    assertThat(cli.execute("bench", "--tenants", "10,-1")).isEqualTo(2);
    assertThat(cli.execute("bench", "stray")).isEqualTo(2);
    assertThat(cli.execute("bench", "-D", "xfaas.scheduler.no-such-option=1")).isEqualTo(2);
    assertThat(cli.execute("bench", "-D", "xfaas.scheduler.producer-linger=soon")).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--runs must be >= 1",
            "--duration must be >= 1s",
            "xfaas.scheduler.no-such-option",
            "xfaas.scheduler.producer-linger: 'soon'");
  }
}
