package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker/: valid for Docker Compose, and on the versions the build uses. */
class DockerComposeTest {
  static final Path COMPOSE = Path.of("../docker/docker-compose.yml");

  @Test
  void dockerComposeConfigAcceptsTheFile() throws Exception {
    String out = ComposeConfig.of(COMPOSE);
    assertThat(out)
        .contains("jobmanager:", "taskmanager:", "job-submitter:", "sidecar:", "kafka:")
        .contains("gtc-submitter:", "io.xfaas.gtc.GtcJob", "/opt/xfaas/conf/gtc-job.properties")
        .contains("prometheus:", "grafana:", "xfaas.sidecar.http-port=9400")
        .contains("dockerfile: docker/sidecar.Dockerfile")
        .contains("/flink-conf:/opt/xfaas/conf:ro")
        .contains("KAFKA_PROCESS_ROLES: broker,controller");
  }

  @Test
  void imagesAreTheBuildsFlinkAndKafkaVersions() throws Exception {
    String pom = Files.readString(Path.of("../pom.xml"));
    String compose = Files.readString(COMPOSE);
    String flink = property(pom, "flink.version");
    String kafka = property(pom, "kafka.version");
    List<String> flinkImages = all(compose, "image: flink:(\\S+)");
    List<String> kafkaImages = all(compose, "image: apache/kafka:(\\S+)");
    assertThat(flinkImages).hasSizeGreaterThanOrEqualTo(2).containsOnly(flink + "-java17");
    assertThat(kafkaImages).isNotEmpty().containsOnly(kafka);
  }

  @Test
  void bothJobsAreSubmittedWithTheClustersConfigSoTheySeeTheirCheckpointStorage() throws Exception {
    String compose = Files.readString(COMPOSE);
    assertThat(all(compose, "-c (io\\.xfaas\\.\\S+)"))
        .containsExactlyInAnyOrder("io.xfaas.scheduler.SchedulerJob", "io.xfaas.gtc.GtcJob");
    // flink run reads /opt/flink/conf: the job's check for durable checkpoint storage sees it.
    assertThat(all(compose, "(cp /opt/xfaas/conf/config.yaml /opt/flink/conf/config.yaml)"))
        .hasSize(4);
    assertThat(Path.of("../jobs/gtc-job/pom.xml")).isRegularFile();
  }

  @Test
  void prometheusScrapesFlinkAndTheSidecarsAndGrafanaIsProvisioned() throws Exception {
    Path docker = COMPOSE.getParent();
    String prometheus = Files.readString(docker.resolve("prometheus/prometheus.yml"));
    assertThat(prometheus).contains("port: 9249", "port: 9400", "names: [sidecar]");
    String flinkConf = Files.readString(Path.of("../flink-conf/config.yaml"));
    assertThat(flinkConf)
        .contains("metrics.reporter.prom.factory.class:")
        .contains("metrics.reporter.prom.port: 9249");
    assertThat(docker.resolve("grafana/provisioning/datasources/prometheus.yml")).isRegularFile();
    assertThat(docker.resolve("grafana/provisioning/dashboards/xfaas.yml")).isRegularFile();
    assertThat(docker.resolve("grafana/dashboards/xfaas.json")).isRegularFile();
  }

  @Test
  void sidecarImageRunsTheSidecarMainWithAConfigFile() throws Exception {
    String dockerfile = Files.readString(Path.of("../docker/sidecar.Dockerfile"));
    assertThat(dockerfile).contains("io.xfaas.sidecar.SidecarMain").contains("--config");
    assertThat(Files.readString(COMPOSE)).contains("/opt/xfaas/conf/xfaas.properties");
  }

  private static String property(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1).trim();
  }

  private static List<String> all(String text, String regex) {
    return Pattern.compile(regex).matcher(text).results().map(r -> r.group(1)).toList();
  }
}
