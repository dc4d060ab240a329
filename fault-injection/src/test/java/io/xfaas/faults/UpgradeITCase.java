package io.xfaas.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.audit.AuditFilter;
import io.xfaas.audit.AuditReport;
import io.xfaas.audit.Auditor;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import io.xfaas.testing.Audits;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Upgrades (issue 19, part 4): the committed savepoint of release 0.1.0's scheduler job ({@link
 * UpgradeFixture}: calls buffered behind a quota, held until a time, in flight) restored with the
 * current job, on the broker's log directory of the same moment. Every call completes, once. A
 * change to the state layout that breaks this must migrate the old state or say so in the release
 * notes, with how to drain first (docs/operations.md, "Upgrades").
 */
class UpgradeITCase {
  private static final String RELEASE = "0.1.0";

  @RegisterExtension
  static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2).parallelism(1);

  @Test
  void theCommittedSavepointOfRelease010RestoresAndEveryCallCompletes() throws Exception {
    Path work = Path.of("target", "tmp", "upgrade-" + System.nanoTime()).toAbsolutePath();
    Files.createDirectories(work);
    Path archive = work.resolve("fixture.tar.gz");
    try (InputStream in =
        UpgradeITCase.class.getResourceAsStream("/upgrade/" + RELEASE + ".tar.gz")) {
      assertThat(in).as("the committed fixture upgrade/%s.tar.gz", RELEASE).isNotNull();
      Files.copy(in, archive);
    }
    UpgradeFixture.run("tar", "-xzf", archive.toString(), "-C", work.toString());
    Properties fixture = new Properties();
    try (InputStream in = Files.newInputStream(work.resolve("fixture.properties"))) {
      fixture.load(in);
    }
    String run = fixture.getProperty("run");
    long calls = Long.parseLong(fixture.getProperty("calls"));

    try (EmbeddedKafkaExtension kafka = new EmbeddedKafkaExtension(agelessBroker(work)).start()) {
      XfaasConfig config =
          XfaasConfig.of(
              Map.of(
                  XfaasOptions.REGION.key(), fixture.getProperty("region"),
                  XfaasOptions.TOPIC_CONFIG.key(), fixture.getProperty("config-topic"),
                  XfaasOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers(),
                  XfaasOptions.SCHEDULER_CHECKPOINT_INTERVAL.key(), "500"));
      Auditor auditor = new Auditor(config, Duration.ofSeconds(60));
      AuditReport before = auditor.audit(AuditFilter.idPrefix(run));
      assertThat(before.accepted()).as("the fixture's calls, in its DurableQ").isEqualTo(calls);
      assertThat(before.lost())
          .as("calls buffered, held or in flight when the savepoint was taken")
          .isEqualTo(calls);

      // The quota that kept them buffered is lifted, as an operator would after the upgrade.
      kafka.writeSettings(
          config,
          List.of(
              new TenantSettings(
                  UpgradeFixture.QUOTA_TENANT,
                  1_000,
                  100,
                  1_000_000,
                  1,
                  1_000_000,
                  List.of(),
                  null,
                  0)));
      Configuration conf = new Configuration();
      conf.set(
          StateRecoveryOptions.SAVEPOINT_PATH,
          work.resolve(fixture.getProperty("savepoint")).toUri().toString());
      JobClient job =
          SchedulerJob.start(StreamExecutionEnvironment.getExecutionEnvironment(conf), config);
      try (WorkerSidecar sidecar =
          new WorkerSidecar(config, FunctionRegistry.fromServiceLoader()).start()) {
        await("the restored job running")
            .atMost(Duration.ofMinutes(1))
            .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);
        Audits.awaitNothingLost(
            "the fixture's calls",
            Duration.ofMinutes(3),
            () -> auditor.audit(AuditFilter.idPrefix(run)));
        FLINK.settle(job);
        AuditReport r = auditor.audit(AuditFilter.idPrefix(run));
        assertThat(r.accepted()).isEqualTo(calls);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicateOutcomes()).isZero();
        assertThat(r.terminal()).isEqualTo(calls);
        assertThat(FLINK.rest().restoredFrom(job.getJobID())).startsWith("savepoint");
        assertThat(FLINK.numRestarts(job)).as("restored without a failure").isZero();
      } finally {
        job.cancel().get();
      }
    }
  }

  /**
   * The fixture's broker, with nothing that expires by age: its records, committed offsets and
   * producer ids are as old as the fixture, and a broker with the defaults would start deleting
   * them a day (producer ids) or a week (records, offsets) after the fixture was made.
   */
  private static EmbeddedKafka.Builder agelessBroker(Path work) {
    String longest = Integer.toString(Integer.MAX_VALUE);
    return EmbeddedKafka.builder()
        .logDir(work.resolve("kafka"))
        .brokerProperty("log.retention.ms", "-1")
        .brokerProperty("offsets.retention.minutes", longest)
        .brokerProperty("transactional.id.expiration.ms", longest)
        .brokerProperty("producer.id.expiration.ms", longest);
  }
}
