package io.xfaas.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} and {@code flink-conf/xfaas.properties} are generated from {@link
 * XfaasOptions}: these tests fail when a committed file is stale, and rewrite both when run with
 * {@code -Dxfaas.docs.regenerate=true} (see {@link ConfigurationDoc#REGENERATE}).
 */
class ConfigurationDocTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final boolean REGENERATE = Boolean.getBoolean("xfaas.docs.regenerate");

  @Test
  void configurationDocIsUpToDate() throws IOException {
    assertUpToDate(ROOT.resolve("docs/configuration.md"), ConfigurationDoc.markdown());
  }

  @Test
  void shippedPropertiesFileIsUpToDate() throws IOException {
    assertUpToDate(ROOT.resolve("flink-conf/xfaas.properties"), ConfigurationDoc.properties());
  }

  @Test
  void shippedPropertiesFileListsEveryOptionWithItsDefault() throws IOException {
    Properties p = new Properties();
    try (var in = Files.newInputStream(ROOT.resolve("flink-conf/xfaas.properties"))) {
      p.load(in);
    }
    for (XfaasOption<?> o : XfaasOptions.ALL) {
      assertThat(p.getProperty(o.key())).as(o.key()).isEqualTo(o.defaultText());
    }
    assertThat(p.stringPropertyNames()).hasSameSizeAs(XfaasOptions.ALL);
    assertThat(XfaasConfig.load(ROOT.resolve("flink-conf/xfaas.properties"), Map.of()).effective())
        .isEqualTo(XfaasConfig.defaults().effective());
  }

  @Test
  void theDocShowsEveryOptionWithItsTypeDefaultAndOldKey() {
    String md = ConfigurationDoc.markdown();
    for (XfaasOption<?> o : XfaasOptions.ALL) {
      assertThat(md).contains("| `" + o.key() + "` | ");
      o.deprecatedKey().ifPresent(k -> assertThat(md).contains("Old key: `" + k + "`"));
    }
    assertThat(md)
        .contains("| `xfaas.scheduler.checkpoint-interval` | duration, >= 1ms | `300ms` |")
        .contains("| `xfaas.sidecar.http-port` | int, from 0 to 65535 | `0` |")
        .contains(
            "| `xfaas.tenants.unknown-policy` | one of default-quota, reject | `default-quota` |")
        .contains("| `xfaas.sidecar.http-functions` | list | (none) |");
  }

  @Test
  void generatedPropertiesReadBackAsTheDefaults() throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(ConfigurationDoc.properties()));
    Map<String, String> m = new HashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    assertThat(XfaasConfig.of(m).effective()).isEqualTo(XfaasConfig.defaults().effective());
  }

  private static void assertUpToDate(Path file, String generated) throws IOException {
    if (REGENERATE) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, generated);
    }
    String committed = Files.exists(file) ? Files.readString(file) : "";
    assertThat(committed)
        .as(
            ROOT.relativize(file)
                + " is stale: it is generated from XfaasOptions. Regenerate it with\n  "
                + ConfigurationDoc.REGENERATE
                + "\nand commit the result")
        .isEqualTo(generated);
  }
}
