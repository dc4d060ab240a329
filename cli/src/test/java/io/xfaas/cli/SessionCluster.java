package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.local.Directories;
import io.xfaas.local.StandaloneCluster;
import io.xfaas.local.StandaloneCluster.Role;
import io.xfaas.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real standalone session cluster for a test class, as {@code xfaas cluster start} makes it: a
 * JobManager and {@code taskManagers} TaskManager processes from target/lib, in the work directory
 * {@code work}, its REST API at {@code rest} ({@code http://localhost:PORT}). {@link #shutdown}
 * stops every process, whatever the test left.
 */
record SessionCluster(Path work, int taskManagers, String rest) {
  /** The scheduler job's shaded jar (mvn package). */
  static final Path JOB_JAR =
      Path.of("../jobs/scheduler-job/target/xfaas-scheduler-job-0.1.0-SNAPSHOT-job.jar");

  private static final Path CONF = Path.of("../flink-conf");
  private static final Path LIB = Path.of("target/lib");

  /**
   * Starts the cluster with {@code xfaas cluster start}, its JobManager at 1 GB and TaskManagers at
   * 1.5 GB with two slots each, {@code extra} arguments after those; what the command said.
   */
  static Started start(Path work, int taskManagers, String... extra) throws Exception {
    assertThat(JOB_JAR).as("the scheduler job's shaded jar (mvn package)").exists();
    Directories.deleteRecursively(work);
    int restPort = Ports.free();
    List<String> args =
        new ArrayList<>(
            List.of(
                "cluster",
                "start",
                "--taskmanagers",
                Integer.toString(taskManagers),
                "--work-dir",
                work.toString(),
                "--conf-dir",
                CONF.toString(),
                "--lib",
                LIB.toString(),
                "--rest-port",
                Integer.toString(restPort),
                "--rpc-port",
                Integer.toString(Ports.free()),
                "-D",
                "jobmanager.memory.process.size=1024m",
                "-D",
                "taskmanager.memory.process.size=1536m",
                "-D",
                "taskmanager.numberOfTaskSlots=2"));
    args.addAll(List.of(extra));
    CliRun run = CliRun.of(args);
    assertThat(run.exit()).as(run.err()).isZero();
    return new Started(new SessionCluster(work, taskManagers, "http://localhost:" + restPort), run);
  }

  /** The cluster, and what {@code xfaas cluster start} printed. */
  record Started(SessionCluster cluster, CliRun run) {}

  /** The processes of the cluster, to look at or kill one. */
  StandaloneCluster processes() {
    return new StandaloneCluster(CONF, work, LIB, Map.of());
  }

  /**
   * {@code xfaas cluster COMMAND EXTRA...} (submit, resume) of the scheduler job on this cluster:
   * its jar, its properties file, and {@code sets} ({@code KEY=VALUE} each) over them.
   */
  List<String> jobArgs(String command, List<String> sets, String... extra) {
    List<String> args = new ArrayList<>(List.of("cluster", command));
    args.addAll(List.of(extra));
    args.addAll(
        List.of(
            "--rest",
            rest,
            "--jar",
            JOB_JAR.toString(),
            "--job-config",
            "../flink-conf/scheduler-job.properties"));
    for (String set : sets) args.addAll(List.of("--set", set));
    return args;
  }

  /** {@code xfaas cluster shutdown}, then a stop of any process it left: they outlive the JVM. */
  void shutdown() throws Exception {
    try {
      CliRun shutdown = CliRun.of("cluster", "shutdown", "--work-dir", work.toString());
      assertThat(shutdown.exit()).as(shutdown.err()).isZero();
    } finally {
      StandaloneCluster cluster = processes();
      for (int n = 1; n <= taskManagers; n++) {
        cluster.instance(n).stop(Role.TASKMANAGER, Duration.ofSeconds(5));
      }
      cluster.stop(Role.JOBMANAGER, Duration.ofSeconds(5));
    }
  }
}
