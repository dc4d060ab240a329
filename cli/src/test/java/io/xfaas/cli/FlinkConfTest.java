package io.xfaas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOption;
import io.xfaas.config.XfaasOptions;
import io.xfaas.local.StandaloneCluster;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.junit.jupiter.api.Test;

/** flink-conf/config.yaml and scheduler-job.properties: what the cluster and the job get. */
class FlinkConfTest {
  static final Path CONF = Path.of("../flink-conf");

  private static Configuration flinkConf() {
    return GlobalConfiguration.loadConfiguration(CONF.toString());
  }

  @Test
  void rocksDbIncrementalExactlyOnceWithLocalCheckpointAndSavepointDirs() {
    Configuration conf = flinkConf();
    assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE))
        .isEqualTo(CheckpointingMode.EXACTLY_ONCE);
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isPositive();
    assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("file:///");
    assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("file:///");
  }

  @Test
  void restartsWithExponentialDelayAndServesRestOn8081() {
    Configuration conf = flinkConf();
    assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
    assertThat(conf.get(RestOptions.PORT)).isEqualTo(8081);
  }

  @Test
  void spreadsSlotsOverTaskManagersAndWaitsForASlowStart() {
    Configuration conf = flinkConf();
    assertThat(conf.get(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE))
        .isEqualTo(TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
    for (var opts : List.of(CoreOptions.FLINK_JM_JVM_OPTIONS, CoreOptions.FLINK_TM_JVM_OPTIONS)) {
      assertThat(conf.get(opts)).contains("-Dpekko.remote.classic.startup-timeout=60s");
    }
  }

  @Test
  void memorySettingsAreValidForBothProcesses() {
    Configuration conf = flinkConf();
    // What BashJavaUtils computes for `xfaas cluster start`: fails on inconsistent sizes.
    var tm = TaskExecutorProcessUtils.processSpecFromConfig(conf);
    assertThat(tm.getTotalProcessMemorySize().getMebiBytes()).isEqualTo(4096);
    assertThat(tm.getManagedMemorySize().getMebiBytes()).isGreaterThan(1000);
    var jm = JobManagerProcessUtils.processSpecFromConfig(conf);
    assertThat(jm.getTotalProcessMemorySize().getMebiBytes()).isEqualTo(1600);
  }

  @Test
  void javaOptsCarryTheParentPomsAddOpensList() throws Exception {
    String pom = Files.readString(Path.of("../pom.xml"));
    Matcher m = Pattern.compile("<xfaas.jvm.opens>([^<]*)</xfaas.jvm.opens>").matcher(pom);
    assertThat(m.find()).isTrue();
    assertThat(flinkConf().get(CoreOptions.FLINK_JVM_OPTIONS)).isEqualTo(m.group(1).trim());
    assertThat(m.group(1)).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
  }

  @Test
  void schedulerJobPropertiesAreKnownOptionsAndLoad() throws Exception {
    XfaasConfig config = loadKnownOptions("scheduler-job.properties");
    assertThat(config.region()).isEqualTo("local");
  }

  @Test
  void gtcJobPropertiesAreKnownOptionsAndLoad() throws Exception {
    loadKnownOptions("gtc-job.properties");
  }

  /** The job properties file {@code name}, checked to set only known options, then loaded. */
  private static XfaasConfig loadKnownOptions(String name) throws Exception {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(CONF.resolve(name))) {
      props.load(r);
    }
    List<String> known = XfaasOptions.ALL.stream().map(XfaasOption::key).toList();
    assertThat(props.stringPropertyNames()).isNotEmpty().allMatch(known::contains);
    return XfaasConfig.load(CONF.resolve(name), Map.of());
  }

  @Test
  void submitDeploysEitherJobWithItsJarMainClassAndProperties() throws Exception {
    ClusterCommand.JobOptions scheduler = new ClusterCommand.JobOptions();
    assertThat(scheduler.entryClass()).isEqualTo("io.xfaas.scheduler.SchedulerJob");
    assertThat(ClusterCommand.Job.scheduler.properties())
        .isEqualTo("flink-conf/scheduler-job.properties");

    ClusterCommand.JobOptions gtc = new ClusterCommand.JobOptions();
    new picocli.CommandLine(gtc).parseArgs("--job", "gtc");
    assertThat(gtc.job).isEqualTo(ClusterCommand.Job.gtc);
    assertThat(gtc.entryClass()).isEqualTo("io.xfaas.gtc.GtcJob");
    assertThat(ClusterCommand.Job.gtc.properties()).isEqualTo("flink-conf/gtc-job.properties");
    assertThat(Path.of("..").resolve(ClusterCommand.Job.gtc.properties())).isRegularFile();
    gtc.jobConfig = CONF.resolve("gtc-job.properties");
    assertThat(gtc.programArgs()).contains("-Dxfaas.gtc.checkpoint-interval=1s");
    // The main class named on the command line wins.
    gtc.entryClass = "x.Y";
    assertThat(gtc.entryClass()).isEqualTo("x.Y");
  }

  @Test
  void submitSendsTheJobPropertiesAsSortedDefinesWithOverridesOnTop() throws Exception {
    ClusterCommand.JobOptions job = new ClusterCommand.JobOptions();
    job.jobConfig = CONF.resolve("scheduler-job.properties");
    job.overrides.put("xfaas.region", "eu1");
    job.remoteConfig = "/opt/xfaas/conf/xfaas.properties";
    List<String> args = job.programArgs();
    assertThat(args).startsWith("--config", "/opt/xfaas/conf/xfaas.properties");
    assertThat(args).contains("-Dxfaas.region=eu1", "-Dxfaas.scheduler.parallelism=1");
    assertThat(args).doesNotContain("-Dxfaas.region=local");
    List<String> defines = args.subList(2, args.size());
    assertThat(defines).isSorted();
  }

  @Test
  void clusterClasspathLeavesOurJarsAndKafkaToTheJobs() {
    assertThat(StandaloneCluster.onClusterClasspath("flink-runtime-2.3.0.jar")).isTrue();
    assertThat(StandaloneCluster.onClusterClasspath("flink-json-2.3.0.jar")).isTrue();
    assertThat(StandaloneCluster.onClusterClasspath("log4j-core-2.25.2.jar")).isTrue();
    assertThat(StandaloneCluster.onClusterClasspath("xfaas-connectors-0.1.0-SNAPSHOT.jar"))
        .isFalse();
    assertThat(StandaloneCluster.onClusterClasspath("kafka-clients-4.2.0.jar")).isFalse();
    assertThat(StandaloneCluster.onClusterClasspath("flink-connector-kafka-5.0.0-2.2.jar"))
        .isFalse();
  }
}
