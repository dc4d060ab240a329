package io.xfaas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XfaasConfigTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void defaultTopicsAreTheBriefsForRegionLocal() {
    Topics t = XfaasConfig.defaults().topics();
    assertThat(t.durableq()).isEqualTo("xfaas.local.durableq");
    assertThat(t.runq()).isEqualTo("xfaas.local.runq");
    assertThat(t.outcomes()).isEqualTo("xfaas.local.outcomes");
    assertThat(t.dlq()).isEqualTo("xfaas.local.dlq");
    assertThat(t.feedback()).isEqualTo("xfaas.local.feedback");
    assertThat(t.config()).isEqualTo("xfaas.config");
    assertThat(t.load()).isEqualTo("xfaas.load");
    assertThat(t.gtcDecisions()).isEqualTo("xfaas.gtc.decisions");
    assertThat(t.dlqRedrive()).isEqualTo("xfaas.local.dlq-redrive");
    assertThat(t.compacted()).containsKey("xfaas.local.dlq-redrive");
    assertThat(Topics.forRegion("eu").runq()).isEqualTo("xfaas.eu.runq");
  }

  @Test
  void fileThenOverridesWin(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("x.properties");
    Files.writeString(file, "xfaas.region=eu\nxfaas.topics.runq=custom-runq\n");
    XfaasConfig c = XfaasConfig.fromArgs("--config", file.toString(), "-Dxfaas.topics.runq=other");
    assertThat(c.region()).isEqualTo("eu");
    assertThat(c.topics().durableq()).isEqualTo("xfaas.eu.durableq");
    assertThat(c.topics().runq()).isEqualTo("other");
  }

  @Test
  void typosAndBadArgumentsFailLoudly() {
    assertThatThrownBy(() -> XfaasConfig.of(Map.of("xfaas.topic.runq", "x")))
        .hasMessageContaining("unknown configuration key: xfaas.topic.runq");
    assertThatThrownBy(() -> XfaasConfig.fromArgs("--bogus"))
        .hasMessageContaining("unexpected argument");
    assertThatThrownBy(
            () ->
                XfaasConfig.of(Map.of("xfaas.sidecar.threads", "many"))
                    .getInt(XfaasOptions.SIDECAR_THREADS))
        .hasMessageContaining("xfaas.sidecar.threads must be an integer");
  }

  @Test
  void shippedPropertiesFileListsEveryOptionWithItsDefault() throws IOException {
    Properties p = new Properties();
    try (var in = Files.newInputStream(ROOT.resolve("flink-conf/xfaas.properties"))) {
      p.load(in);
    }
    for (XfaasOption o : XfaasOptions.ALL) {
      assertThat(p.getProperty(o.key())).as(o.key()).isEqualTo(o.defaultValue());
    }
    assertThat(p.stringPropertyNames()).hasSameSizeAs(XfaasOptions.ALL);
  }

  @Test
  void readmeDocumentsEveryOptionWithItsDefault() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (XfaasOption o : XfaasOptions.ALL) {
      Matcher m =
          Pattern.compile("\\| `" + Pattern.quote(o.key()) + "` \\| `([^`]*)` \\|").matcher(readme);
      assertThat(m.find()).as("README documents " + o.key()).isTrue();
      assertThat(m.group(1)).as(o.key()).isEqualTo(o.defaultValue());
    }
  }
}
