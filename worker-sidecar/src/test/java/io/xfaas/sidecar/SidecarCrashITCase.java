package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.xfaas.config.XfaasOptions;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.serde.Json;
import io.xfaas.testing.EmbeddedKafkaExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 20,000 calls over three sidecars, one of which crashes mid-run: every call still gets a terminal
 * result on the results topic, and the repeats (calls the crashed sidecar ran but had not
 * committed) are counted and bounded by what it can have had outstanding. The scheduler job turns
 * these at-least-once results into exactly one outcome per id (docs/architecture.md, "Where
 * duplicates stop").
 */
class SidecarCrashITCase {
  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  private static final Logger LOG = LoggerFactory.getLogger(SidecarCrashITCase.class);
  private static final int CALLS = 20_000;
  private static final int PARTITIONS = 6;
  private static final int MAX_POLL_RECORDS = 100;

  /** A crashed sidecar has at most a paused partition's worth plus one poll per partition. */
  private static final int MAX_REPEATS = 2 * MAX_POLL_RECORDS * PARTITIONS;

  private static final Map<String, String> TUNING =
      Map.of(
          "xfaas.sidecar.threads", "8",
          "xfaas.sidecar.max-poll-records", Integer.toString(MAX_POLL_RECORDS),
          "xfaas.sidecar.session-timeout-ms", "6000");

  private final List<WorkerSidecar> sidecars = new ArrayList<>();
  private Process child;

  @AfterEach
  void stopAll() {
    sidecars.forEach(WorkerSidecar::close);
    if (child != null) child.destroyForcibly();
  }

  @Test
  void aSidecarStoppedWithoutCommittingLosesNoCall() throws Exception {
    SidecarFixture f = SidecarFixture.create(KAFKA, PARTITIONS);
    WorkerSidecar a = start(f);
    WorkerSidecar b = start(f);
    WorkerSidecar crashing = start(f);
    await("three sidecars sharing RunQ")
        .atMost(Duration.ofSeconds(30))
        .until(() -> Set.of(a, b, crashing).stream().allMatch(s -> !s.assignment().isEmpty()));
    List<Invocation> calls = calls();
    write(f, calls);

    await("the crashing sidecar to be under way")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> crashing.processed() >= 1000);
    crashing.halt();
    assertThat(crashing.processed()).as("crashed mid-run").isLessThan(CALLS / 3);

    assertEveryCallGetsATerminalResult(f, calls);
  }

  @Test
  void aSidecarProcessKilledWithSigkillLosesNoCall() throws Exception {
    SidecarFixture f = SidecarFixture.create(KAFKA, PARTITIONS);
    child = startProcess(f);
    start(f);
    start(f);
    awaitMembersWithPartitions(f, 3);
    List<Invocation> calls = calls();
    write(f, calls);

    awaitResults(f, CALLS / 5, Duration.ofSeconds(30));
    signal("KILL", 9, Duration.ofSeconds(10));
    assertThat(KAFKA.endOffsetSum(f.topics().results())).as("killed mid-run").isLessThan(CALLS);

    assertEveryCallGetsATerminalResult(f, calls);
  }

  @Test
  void aSidecarProcessStoppedWithSigtermDrainsAndCommitsWhatItRan() throws Exception {
    SidecarFixture f = SidecarFixture.create(KAFKA, PARTITIONS);
    child = startProcess(f);
    awaitMembersWithPartitions(f, 1);
    List<Invocation> calls = calls().subList(0, CALLS / 4);
    write(f, calls);
    awaitResults(f, 500, Duration.ofSeconds(45));

    signal("TERM", 15, Duration.ofSeconds(30)); // drains, then exits
    assertThat(KAFKA.endOffsetSum(f.topics().results()))
        .as("stopped mid-run")
        .isLessThan(calls.size());

    start(f); // takes over from the committed offsets
    f.awaitGroupAtEndOfRunQ(Duration.ofSeconds(60));
    List<Outcome> results = results(f);
    assertThat(results.stream().map(Outcome::id).distinct().count()).isEqualTo(calls.size());
    assertThat(results).as("a drain commits all it ran: nothing repeats").hasSize(calls.size());
  }

  private static List<Outcome> results(SidecarFixture f) {
    return f.readAll(f.topics().results()).stream().map(r -> Json.readOutcome(r.value())).toList();
  }

  /** RunQ keyed as the scheduler keys it: call c-i on partition i mod PARTITIONS. */
  private static void write(SidecarFixture f, List<Invocation> calls) throws Exception {
    f.writeRunQ(calls, inv -> Integer.parseInt(inv.id().substring(2)) % PARTITIONS);
  }

  private static void awaitResults(SidecarFixture f, int n, Duration atMost) {
    await(n + " results")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> KAFKA.endOffsetSum(f.topics().results()) >= n);
  }

  /** Sends the child process SIGname; it must end by it within {@code exitWithin}. */
  private void signal(String name, int number, Duration exitWithin) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(child.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(child.waitFor(exitWithin.toSeconds(), TimeUnit.SECONDS)).as("exited").isTrue();
    assertThat(child.exitValue()).as("ended by SIG" + name).isEqualTo(128 + number);
  }

  private static void awaitMembersWithPartitions(SidecarFixture f, int n) {
    String group = f.config().get(XfaasOptions.SIDECAR_GROUP_ID);
    await(n + " sidecars in the group with partitions")
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () ->
                KAFKA
                        .admin()
                        .describeConsumerGroups(List.of(group))
                        .all()
                        .get()
                        .get(group)
                        .members()
                        .stream()
                        .filter(m -> !m.assignment().topicPartitions().isEmpty())
                        .count()
                    == n);
  }

  /** Once the group has read RunQ to its end. */
  private void assertEveryCallGetsATerminalResult(SidecarFixture f, List<Invocation> calls) {
    f.awaitGroupAtEndOfRunQ(Duration.ofSeconds(60));
    List<Outcome> results = results(f);
    Set<String> answered = new HashSet<>();
    results.forEach(o -> answered.add(o.id()));
    int repeats = results.size() - answered.size();
    LOG.info(
        "{} results for {} calls: {} repeated by the crash", results.size(), calls.size(), repeats);

    assertThat(answered).hasSize(calls.size());
    assertThat(answered).containsAll(calls.stream().map(Invocation::id).toList());
    assertThat(results).allSatisfy(o -> assertThat(o.status()).isEqualTo(OutcomeStatus.SUCCEEDED));
    assertThat(repeats).as("repeats, bounded by what was outstanding").isBetween(0, MAX_REPEATS);
    assertThat(f.readAll(f.topics().dlq())).isEmpty();
    assertThat(f.readAll(f.topics().durableq())).isEmpty();
  }

  private WorkerSidecar start(SidecarFixture f) {
    WorkerSidecar s = new WorkerSidecar(f.config(TUNING), FunctionRegistry.fromServiceLoader());
    sidecars.add(s);
    return s.start();
  }

  /** {@code java -cp <this test's classpath> io.xfaas.sidecar.SidecarMain -D...}. */
  private static Process startProcess(SidecarFixture f) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(SidecarMain.class.getName());
    Map<String, String> conf = new HashMap<>(f.config(TUNING).effective());
    conf.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    Path log = Path.of("target", "tmp", "crash-sidecar-" + System.nanoTime() + ".log");
    Files.createDirectories(log.getParent());
    LOG.info("sidecar process log: {}", log.toAbsolutePath());
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .directory(new File("."))
        .start();
  }

  /** Short sleeps: the run lasts seconds, so the crash lands mid-run on a fast machine too. */
  private static List<Invocation> calls() {
    return IntStream.range(0, CALLS)
        .mapToObj(i -> SidecarFixture.invocation("c-" + i, "sleep", "{\"ms\":5}"))
        .toList();
  }
}
