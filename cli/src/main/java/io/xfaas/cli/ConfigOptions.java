package io.xfaas.cli;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The configuration flags every command shares: a properties file and overrides on top. */
final class ConfigOptions {
  static final String DEFAULT_FILE = "flink-conf/xfaas.properties";

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file (default: " + DEFAULT_FILE + " if it exists).")
  Path file;

  @Mixin XfaasOverrides overrides;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT",
      description = "Kafka to use (overrides xfaas.kafka.bootstrap-servers).")
  String bootstrapServers;

  /** The file, if given or present by default, then -D overrides, then --bootstrap-servers. */
  XfaasConfig resolve() {
    Map<String, String> all = new LinkedHashMap<>(overrides.values);
    if (bootstrapServers != null) all.put(XfaasOptions.BOOTSTRAP_SERVERS.key(), bootstrapServers);
    return XfaasConfig.load(configFile(), all);
  }

  Path configFile() {
    if (file != null) return file;
    Path byDefault = XfaasHome.resolve(DEFAULT_FILE);
    return Files.isRegularFile(byDefault) ? byDefault : null;
  }
}
