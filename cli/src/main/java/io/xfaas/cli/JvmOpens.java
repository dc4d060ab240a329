package io.xfaas.cli;

import io.xfaas.local.StandaloneCluster;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * The {@code --add-opens} / {@code --add-exports} flags a Flink JVM needs on Java 17: from
 * flink-conf/config.yaml's {@code env.java.opts.all} (kept equal to the parent pom's {@code
 * xfaas.jvm.opens} by a test), else the ones this JVM was started with.
 */
final class JvmOpens {
  private JvmOpens() {}

  static List<String> list() {
    Path conf = XfaasHome.resolve("flink-conf");
    if (Files.isRegularFile(conf.resolve("config.yaml"))) {
      String opts =
          GlobalConfiguration.loadConfiguration(conf.toString()).get(CoreOptions.FLINK_JVM_OPTIONS);
      List<String> flags = StandaloneCluster.split(opts);
      if (!flags.isEmpty()) return flags;
    }
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports"))
        .toList();
  }
}
