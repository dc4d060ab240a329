package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.records.Invocation;
import io.xfaas.sidecar.FunctionRegistry;
import io.xfaas.sidecar.WorkerSidecar;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.JobRest;
import io.xfaas.testing.TopicReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code xfaas cluster}: a real standalone session cluster (a JobManager and a TaskManager process
 * started from target/lib), a real broker in this JVM, and the scheduler job's shaded jar submitted
 * over REST (and the GTC job's beside it, then stopped), a sidecar in this JVM; 10,000 invocations,
 * a savepoint, stop-with-savepoint, 10,000 more while the job is down, resume: every invocation
 * dispatched once and finished once.
 */
class ClusterCommandITCase {
  private static final String REGION = "cluster-it";
  private static final Topics TOPICS = Topics.forRegion(REGION);
  private static final Path WORK = Path.of("target/cluster-it").toAbsolutePath();
  private static final Path GTC_JAR =
      Path.of("../jobs/gtc-job/target/xfaas-gtc-job-0.1.0-SNAPSHOT-job.jar");

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static SessionCluster cluster;
  private static String rest;

  @BeforeAll
  static void startCluster() throws Exception {
    KAFKA.createTopics(TOPICS.partitions(2));
    TOPICS.compacted().forEach(KAFKA::createCompactedTopic);
    SessionCluster.Started started = SessionCluster.start(WORK, 1);
    cluster = started.cluster();
    rest = cluster.rest();
    assertThat(started.run().out()).contains("running: web UI and REST on " + rest);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) cluster.shutdown();
  }

  @Test
  void submitsRunsSavepointsStopsAndResumesTheSchedulerJob() throws Exception {
    assertThat(Files.readString(WORK.resolve("jobmanager.pid")).trim()).isNotEmpty();
    CliRun status0 = CliRun.of("cluster", "status", "--rest", rest, "--work-dir", WORK.toString());
    assertThat(status0.out())
        .contains("local jobmanager: running", "local taskmanager: running", "1 taskmanager(s)");

    CliRun submit = CliRun.of(jobArgs("submit"));
    assertThat(submit.exit()).as(submit.err()).isZero();
    String jobId = submit.out().trim();
    assertThat(jobId).matches("[0-9a-f]{32}");
    assertThat(CliRun.of("cluster", "status", "--rest", rest).out())
        .contains("job " + jobId + " RUNNING", "xfaas-scheduler-" + REGION);

    // The GTC job deploys the same way (--job gtc: its jar, main class and properties).
    assertThat(GTC_JAR).as("the GTC job's shaded jar (mvn package)").exists();
    CliRun gtc =
        CliRun.of(
            "cluster",
            "submit",
            "--job",
            "gtc",
            "--rest",
            rest,
            "--jar",
            GTC_JAR.toString(),
            "--job-config",
            "../flink-conf/gtc-job.properties",
            "--set",
            XfaasOptions.BOOTSTRAP_SERVERS.key() + "=" + KAFKA.bootstrapServers());
    assertThat(gtc.exit()).as(gtc.err()).isZero();
    String gtcId = gtc.out().trim();
    assertThat(CliRun.of("cluster", "status", "--rest", rest).out())
        .contains("job " + gtcId + " RUNNING", "xfaas-gtc");
    CliRun gtcStop = CliRun.of("cluster", "stop", gtcId, "--rest", rest);
    assertThat(gtcStop.exit()).as(gtcStop.err()).isZero();

    XfaasConfig config = KAFKA.config(REGION);
    try (SubmitterClient client = SubmitterClient.create(config);
        WorkerSidecar sidecar = new WorkerSidecar(config, FunctionRegistry.fromServiceLoader());
        RunQReader runq = new RunQReader(KAFKA.bootstrapServers(), TOPICS.runq());
        RunQReader outcomes = new RunQReader(KAFKA.bootstrapServers(), TOPICS.outcomes())) {
      sidecar.start();
      List<String> first = submitBatch(client, "first");
      await("10,000 outcomes from the cluster")
          .atMost(Duration.ofMinutes(2))
          .until(() -> outcomes.poll().containsAll(first));
      // Outcomes are committed on checkpoints: status counts them, and none is failing.
      assertThat(CliRun.of("cluster", "status", "--rest", rest).out())
          .containsPattern("job " + jobId + " RUNNING .*\\(checkpoints: [1-9][0-9]* completed, ")
          .doesNotContain("FAILING");

      CliRun savepoint = CliRun.of("cluster", "savepoint", "--rest", rest);
      assertThat(savepoint.exit()).as(savepoint.err()).isZero();
      assertThat(Path.of(URI.create(savepoint.out().trim()))).isDirectory();

      CliRun stop = CliRun.of("cluster", "stop", jobId, "--rest", rest);
      assertThat(stop.exit()).as(stop.err()).isZero();
      String stopped = stop.out().trim();
      assertThat(Path.of(URI.create(stopped))).startsWith(WORK.resolve("data/savepoints"));
      assertThat(CliRun.of("cluster", "status", "--rest", rest).out())
          .contains("job " + jobId + " FINISHED");

      // Written while the job is down: the resumed job reads it from the saved offsets.
      List<String> second = submitBatch(client, "second");
      CliRun resume = CliRun.of(jobArgs("resume", stopped));
      assertThat(resume.exit()).as(resume.err()).isZero();
      String resumed = resume.out().trim();
      assertThat(resumed).isNotEqualTo(jobId);
      assertThat(resume.err()).contains("from " + stopped);
      await("10,000 more outcomes after the resume")
          .atMost(Duration.ofMinutes(2))
          .until(() -> outcomes.poll().containsAll(second));
      // A late duplicate would be committed with a later checkpoint: wait for two.
      new JobRest(URI.create(rest)).settle(JobID.fromHexString(resumed));
      // Restored, not re-read: every invocation was dispatched once and finished once.
      List<String> all = new ArrayList<>(first);
      all.addAll(second);
      runq.drainToEnd();
      assertThat(runq.counts()).containsOnlyKeys(all).allSatisfy((id, n) -> assertThat(n).isOne());
      outcomes.drainToEnd();
      assertThat(outcomes.counts())
          .containsOnlyKeys(all)
          .allSatisfy((id, n) -> assertThat(n).as("outcomes of " + id).isOne());

      CliRun last = CliRun.of("cluster", "stop", "--rest", rest);
      assertThat(last.exit()).as(last.err()).isZero();
    }
  }

  /** Reads a topic (RunQ, outcomes) from the start with read_committed, collecting ids. */
  static final class RunQReader implements AutoCloseable {
    private final TopicReader reader;
    private final List<String> keys = new ArrayList<>();

    RunQReader(String bootstrap, String topic) {
      reader = new TopicReader(bootstrap, topic);
    }

    /** Polls once; returns the ids (values' "id") read so far. */
    Set<String> poll() {
      reader.poll(this::add);
      return new HashSet<>(keys);
    }

    /** Reads to the current end of the topic. */
    void drainToEnd() {
      reader.catchUp(this::add, Duration.ofSeconds(60));
    }

    private void add(ConsumerRecord<byte[], byte[]> r) {
      String value = new String(r.value(), StandardCharsets.UTF_8);
      int at = value.indexOf("\"id\":\"");
      keys.add(
          at < 0
              ? new String(r.key(), StandardCharsets.UTF_8)
              : value.substring(at + 6, value.indexOf('"', at + 6)));
    }

    /** How often each id was read. */
    Map<String, Long> counts() {
      Map<String, Long> n = new HashMap<>();
      for (String k : keys) n.merge(k, 1L, Long::sum);
      return n;
    }

    @Override
    public void close() {
      reader.close();
    }
  }

  /** 10,000 echo calls over 20 tenants, acknowledged; their ids. */
  private static List<String> submitBatch(SubmitterClient client, String name) throws Exception {
    List<Invocation> calls = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      calls.add(InvocationBuilder.call("tenant-" + (i % 20), "echo").id(name + "-" + i).build());
    }
    client.submitAllAndWait(calls);
    return calls.stream().map(Invocation::id).toList();
  }

  /** {@code xfaas cluster COMMAND ARGS} with the scheduler job's jar and this test's region. */
  private static List<String> jobArgs(String command, String... args) {
    return cluster.jobArgs(
        command,
        List.of(
            XfaasOptions.REGION.key() + "=" + REGION,
            XfaasOptions.BOOTSTRAP_SERVERS.key() + "=" + KAFKA.bootstrapServers()),
        args);
  }
}
