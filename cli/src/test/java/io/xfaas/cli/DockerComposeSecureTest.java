package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docker/docker-compose.secure.yml: valid over the plain file, and every client authenticates. */
class DockerComposeSecureTest {
  private static final Path PLAIN = Path.of("../docker/docker-compose.yml");
  private static final Path SECURE = Path.of("../docker/docker-compose.secure.yml");

  @Test
  void theSecureVariantLayersOverThePlainFile() throws Exception {
    String out = ComposeConfig.of(PLAIN, SECURE);
    assertThat(out)
        .contains("secure-init:", "grants:", "io.xfaas.security.GrantRoles")
        .contains("-Dxfaas.kafka.client-properties-file=/secure/scheduler.properties")
        .contains("-Dxfaas.kafka.client-properties-file=/secure/gtc.properties")
        .contains("-Dxfaas.kafka.client-properties-file=/secure/sidecar.properties")
        .contains("-Dxfaas.security.signing=required");
    // The tenant-outcomes job runs beside the scheduler job, as the scheduler.
    String tenantOutcomes = service(out, "tenant-outcomes-submitter");
    assertThat(tenantOutcomes)
        .contains("io.xfaas.scheduler.outcomes.TenantOutcomesJob")
        .contains("-Dxfaas.kafka.client-properties-file=/secure/scheduler.properties");
  }

  @Test
  void theBrokerAuthenticatesEveryListenerAndAllowsOnlyWhatIsGranted() throws Exception {
    String secure = Files.readString(SECURE);
    assertThat(secure)
        .contains(
            "listener.security.protocol.map=INTERNAL:SASL_SSL,EXTERNAL:SASL_SSL,CONTROLLER:SSL")
        .contains("listener.name.controller.ssl.client.auth=required")
        .contains("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .contains("allow.everyone.if.no.acl.found=false")
        .doesNotContain("PLAINTEXT");
    // Every Kafka tool call of the secure variant authenticates as the admin.
    assertThat(secure.lines().filter(l -> l.contains("--bootstrap-server")))
        .allMatch(l -> l.contains("--command-config /secure/admin.properties"));
  }

  /** One service of {@code docker-compose config}'s output: up to the next one at its indent. */
  private static String service(String config, String name) {
    int start = config.indexOf("\n  " + name + ":\n");
    assertThat(start).as(name).isNotNegative();
    java.util.regex.Matcher next =
        java.util.regex.Pattern.compile("\n  [^ ]")
            .matcher(config)
            .region(start + 1, config.length());
    return config.substring(start, next.find() ? next.start() : config.length());
  }
}
