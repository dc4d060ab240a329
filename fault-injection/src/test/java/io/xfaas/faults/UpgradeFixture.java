package io.xfaas.faults;

import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.kafka.embedded.EmbeddedKafka;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.SchedulerJob;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Makes the upgrade fixture that {@link UpgradeITCase} restores (issue 19, part 4): this release's
 * scheduler job, with calls buffered behind a tenant's quota, held until a time, and in flight (no
 * sidecar runs), is stopped with a savepoint; the savepoint and the broker's log directory (the
 * topics and the job's offsets and transactions, so that the two agree) go into one archive with
 * what the test needs to know. Run it once per release whose savepoints must stay restorable:
 *
 * <pre>
 * mvn -B -ntp -o -pl fault-injection -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=$PWD/target/fi.cp
 * java -cp fault-injection/target/test-classes:$(cat target/fi.cp) \
 *     io.xfaas.faults.UpgradeFixture fault-injection/src/test/resources/upgrade/0.1.0.tar.gz
 * </pre>
 */
public final class UpgradeFixture {
  /** The tenant whose quota keeps its calls buffered (0.001 calls/s until the test lifts it). */
  static final String QUOTA_TENANT = "slow";

  static final int BUFFERED = 150;
  static final int HELD = 50;
  static final int OTHER = 50;

  private UpgradeFixture() {}

  public static void main(String[] args) throws Exception {
    Path archive = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createTempDirectory("xfaas-upgrade-fixture-");
    Path logDir = work.resolve("kafka");
    Properties fixture = new Properties();
    try (EmbeddedKafkaExtension kafka =
        new EmbeddedKafkaExtension(EmbeddedKafka.builder().logDir(logDir)).start()) {
      XfaasConfig config = kafka.newRegion("upgrade", Map.of());
      kafka.writeSettings(
          config,
          List.of(
              new TenantSettings(
                  QUOTA_TENANT, 0.001, 1, 1_000_000, 1, 1_000_000, List.of(), null, 0)));
      Configuration conf = FlinkClusterExtension.testConfiguration(work.resolve("flink"));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      JobClient job = SchedulerJob.start(env, config);
      await()
          .atMost(Duration.ofMinutes(10))
          .until(() -> job.getJobStatus().get() == JobStatus.RUNNING);

      String run = "upgrade";
      long heldUntil = System.currentTimeMillis() + Duration.ofMinutes(2).toMillis();
      List<Invocation> calls = new ArrayList<>();
      for (int i = 0; i < BUFFERED; i++) {
        calls.add(InvocationBuilder.call(QUOTA_TENANT, "echo").id(run + "-buffered-" + i).build());
      }
      for (int i = 0; i < HELD; i++) {
        calls.add(
            InvocationBuilder.call("held", "echo")
                .id(run + "-held-" + i)
                .criticality(Criticality.DEFERRABLE)
                .notBefore(heldUntil)
                .build());
      }
      for (int i = 0; i < OTHER; i++) {
        calls.add(InvocationBuilder.call("t" + (i % 4), "echo").id(run + "-other-" + i).build());
      }
      try (SubmitterClient client = SubmitterClient.create(config)) {
        client.submitAllAndWait(calls);
      }
      // Every call read by the job (its source commits offsets on checkpoints).
      kafka.awaitGroupAtEnd(
          Duration.ofMinutes(10),
          config.get(XfaasOptions.SCHEDULER_GROUP_ID),
          config.topics().durableq());
      String savepoint =
          job.stopWithSavepoint(
                  false,
                  work.resolve("savepoint").toUri().toString(),
                  SavepointFormatType.CANONICAL)
              .get();
      // The job has finished, and the local MiniCluster it ran on has shut down with it.
      Path sp = Path.of(java.net.URI.create(savepoint));
      fixture.setProperty("region", config.region());
      fixture.setProperty("config-topic", config.topics().config());
      fixture.setProperty("run", run + "-");
      fixture.setProperty("calls", Integer.toString(calls.size()));
      fixture.setProperty("savepoint", work.relativize(sp).toString());
      fixture.setProperty("held-until", Long.toString(heldUntil));
      fixture.setProperty("made-at", Long.toString(System.currentTimeMillis()));
    }
    try (OutputStream out = Files.newOutputStream(work.resolve("fixture.properties"))) {
      fixture.store(out, "upgrade fixture: UpgradeFixture");
    }
    Files.createDirectories(archive.getParent());
    run(
        "tar",
        "-czf",
        archive.toString(),
        "-C",
        work.toString(),
        "fixture.properties",
        "kafka",
        "savepoint");
    System.out.println("wrote " + archive + " (" + Files.size(archive) + " bytes)");
    System.exit(0);
  }

  static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed");
  }
}
