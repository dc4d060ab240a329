package io.xfaas.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * A Flink standalone session cluster run from Maven-resolved jars, as Flink's own {@code
 * bin/jobmanager.sh} and {@code bin/taskmanager.sh} would run it from a binary distribution: a
 * JobManager ({@code StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code
 * TaskManagerRunner}) as background processes, with their memory flags computed by Flink's {@code
 * BashJavaUtils}, the configuration's {@code env.java.opts.*}, pid files and logs under the work
 * folder ({@code .xfaas/cluster/}).
 */
public final class StandaloneCluster {
  public static final String JOBMANAGER_MAIN =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  public static final String TASKMANAGER_MAIN =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  public static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  private static final String RESULT_MARKER = "BASH_JAVA_UTILS_EXEC_RESULT:";

  /** The two processes, by role; their pid files are {@code ROLE.pid}, logs {@code log/ROLE.*}. */
  public enum Role {
    JOBMANAGER(JOBMANAGER_MAIN, "GET_JM_RESOURCE_PARAMS", "env.java.opts.jobmanager"),
    TASKMANAGER(TASKMANAGER_MAIN, "GET_TM_RESOURCE_PARAMS", "env.java.opts.taskmanager");

    public final String mainClass;
    public final String resourceCommand;
    public final String javaOptsKey;

    Role(String mainClass, String resourceCommand, String javaOptsKey) {
      this.mainClass = mainClass;
      this.resourceCommand = resourceCommand;
      this.javaOptsKey = javaOptsKey;
    }

    public String fileName() {
      return name().toLowerCase();
    }
  }

  private final Path confDir;
  private final Path workDir;
  private final Path libDir;
  private final Map<String, String> dynamic;
  private final int instance; // 1: the first of each role; n > 1: files ROLE-n.*

  /**
   * @param confDir the folder with {@code config.yaml} (and {@code log4j-cluster.properties})
   * @param workDir pid files, logs, data ({@code data/checkpoints}, {@code data/savepoints})
   * @param libDir the jars (Flink's runtime, log4j); our own and Kafka's are left out
   * @param overrides {@code -D} properties on top of {@code config.yaml}
   */
  public StandaloneCluster(Path confDir, Path workDir, Path libDir, Map<String, String> overrides) {
    this.instance = 1;
    this.confDir = confDir.toAbsolutePath().normalize();
    this.workDir = workDir.toAbsolutePath().normalize();
    this.libDir = libDir.toAbsolutePath().normalize();
    this.dynamic = new LinkedHashMap<>();
    Path data = this.workDir.resolve("data");
    dynamic.put("execution.checkpointing.dir", data.resolve("checkpoints").toUri().toString());
    dynamic.put(
        "execution.checkpointing.savepoint-dir", data.resolve("savepoints").toUri().toString());
    dynamic.put("io.tmp.dirs", this.workDir.resolve("tmp").toString());
    dynamic.put("web.upload.dir", this.workDir.resolve("upload").toString());
    dynamic.put("web.tmpdir", this.workDir.resolve("tmp").toString());
    dynamic.putAll(overrides);
  }

  private StandaloneCluster(StandaloneCluster of, int instance) {
    this.instance = instance;
    this.confDir = of.confDir;
    this.workDir = of.workDir;
    this.libDir = of.libDir;
    this.dynamic = of.dynamic;
  }

  /**
   * The same cluster's process number {@code n} of a role (1 is this one): a second TaskManager is
   * {@code instance(2).start(Role.TASKMANAGER)}, with pid file {@code taskmanager-2.pid} and logs
   * {@code log/taskmanager-2.*}.
   */
  public StandaloneCluster instance(int n) {
    if (n < 1) throw new IllegalArgumentException("instances count from 1: " + n);
    return n == instance ? this : new StandaloneCluster(this, n);
  }

  public Path workDir() {
    return workDir;
  }

  /** The role's name in this instance's file names: {@code taskmanager}, {@code taskmanager-2}. */
  public String name(Role role) {
    return instance == 1 ? role.fileName() : role.fileName() + "-" + instance;
  }

  public Path pidFile(Role role) {
    return workDir.resolve(name(role) + ".pid");
  }

  public Path logFile(Role role) {
    return workDir.resolve("log").resolve(name(role) + ".log");
  }

  public Path outFile(Role role) {
    return workDir.resolve("log").resolve(name(role) + ".out");
  }

  /** The effective configuration: {@code config.yaml} with the overrides on top. */
  public Configuration configuration() {
    return GlobalConfiguration.loadConfiguration(
        confDir.toString(), Configuration.fromMap(dynamic));
  }

  /** Starts the process of {@code role} in the background and writes its pid file. */
  public ProcessHandle start(Role role) throws IOException, InterruptedException {
    Optional<ProcessHandle> running = running(role);
    if (running.isPresent()) {
      throw new IllegalStateException(
          name(role) + " already runs as pid " + running.get().pid() + " (" + pidFile(role) + ")");
    }
    for (String dir : List.of("log", "tmp", "upload", "data/checkpoints", "data/savepoints")) {
      Files.createDirectories(workDir.resolve(dir));
    }
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(resourceParams(role).jvmArgs());
    Configuration conf = configuration();
    command.addAll(split(conf.get(CoreOptions.FLINK_JVM_OPTIONS)));
    command.addAll(split(conf.toMap().getOrDefault(role.javaOptsKey, "")));
    command.add("-Dlog.file=" + logFile(role));
    command.add("-Dlog4j.configurationFile=" + log4jConfig().toUri());
    command.add("-Djava.io.tmpdir=" + workDir.resolve("tmp"));
    command.add("-cp");
    command.add(classpath());
    command.add(role.mainClass);
    command.add("--configDir");
    command.add(confDir.toString());
    command.addAll(dynamicArgs());
    command.addAll(resourceParams(role).dynamicArgs());
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(outFile(role).toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    Process process = pb.start();
    Files.writeString(pidFile(role), process.pid() + "\n");
    return process.toHandle();
  }

  /** The process of {@code role} if its pid file names a live process of that role. */
  public Optional<ProcessHandle> running(Role role) {
    Path pid = pidFile(role);
    if (!Files.isRegularFile(pid)) return Optional.empty();
    long id;
    try {
      id = Long.parseLong(Files.readString(pid).trim());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    // A stale pid may have been reused by another process: check that it is ours.
    return ProcessHandle.of(id).filter(ProcessHandle::isAlive).filter(h -> runs(h, role));
  }

  /**
   * Whether the process runs {@code role}'s main class. Java's own {@code commandLine()} gives up
   * on command lines as long as ours (the classpath), so read {@code /proc} where there is one.
   */
  private static boolean runs(ProcessHandle h, Role role) {
    Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
    if (Files.isReadable(proc)) {
      try {
        return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8)
            .contains(role.mainClass);
      } catch (IOException e) {
        return h.isAlive();
      }
    }
    return h.info().commandLine().map(c -> c.contains(role.mainClass)).orElse(true);
  }

  /**
   * Stops the process of {@code role}: SIGTERM (Flink shuts down cleanly), then SIGKILL after
   * {@code grace}. Returns whether one was running.
   */
  public boolean stop(Role role, Duration grace) throws IOException {
    Optional<ProcessHandle> running = running(role);
    if (running.isPresent()) {
      ProcessHandle h = running.get();
      h.destroy();
      try {
        h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
        try {
          h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // reported by the caller through running()
        }
      }
    }
    Files.deleteIfExists(pidFile(role));
    return running.isPresent();
  }

  /** The last lines of a role's log and stdout, to explain a failed start. */
  public String tail(Role role, int lines) {
    StringBuilder sb = new StringBuilder();
    for (Path f : List.of(outFile(role), logFile(role))) {
      if (!Files.isRegularFile(f)) continue;
      try {
        List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
        sb.append("--- ").append(f).append('\n');
        all.subList(Math.max(0, all.size() - lines), all.size())
            .forEach(l -> sb.append(l).append('\n'));
      } catch (IOException e) {
        sb.append("(cannot read ").append(f).append(")\n");
      }
    }
    return sb.toString();
  }

  /** JVM flags and {@code -D} properties Flink's scripts compute from the memory options. */
  public record ResourceParams(List<String> jvmArgs, List<String> dynamicArgs) {}

  private final Map<Role, ResourceParams> resourceParams = new LinkedHashMap<>();

  /**
   * Runs {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} (or {@code GET_JM_…}) as Flink's scripts do:
   * the lines after {@code BASH_JAVA_UTILS_EXEC_RESULT:} are the JVM flags, then the dynamic
   * properties. {@code TaskManagerRunner} refuses to start without them.
   */
  public ResourceParams resourceParams(Role role) throws IOException, InterruptedException {
    ResourceParams cached = resourceParams.get(role);
    if (cached != null) return cached;
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-Xmx256m");
    command.add("-Dlog4j2.level=WARN");
    command.add("-Djava.io.tmpdir=" + workDir.resolve("tmp"));
    command.add("-cp");
    command.add(classpath());
    command.add(BASH_JAVA_UTILS);
    command.add(role.resourceCommand);
    command.add("--configDir");
    command.add(confDir.toString());
    command.addAll(dynamicArgs());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("BashJavaUtils " + role.resourceCommand + " failed:\n" + out);
    }
    List<String> results =
        out.lines()
            .filter(l -> l.startsWith(RESULT_MARKER))
            .map(l -> l.substring(RESULT_MARKER.length()).trim())
            .toList();
    if (results.isEmpty()) {
      throw new IOException(
          "BashJavaUtils " + role.resourceCommand + " printed no result:\n" + out);
    }
    ResourceParams params =
        new ResourceParams(
            split(results.get(0)), results.size() > 1 ? split(results.get(1)) : List.of());
    resourceParams.put(role, params);
    return params;
  }

  private List<String> dynamicArgs() {
    List<String> args = new ArrayList<>();
    dynamic.forEach((k, v) -> args.add("-D" + k + "=" + v));
    return args;
  }

  /**
   * Flink's jars and their dependencies from {@code libDir}. Our own jars, Kafka's and the Kafka
   * connector stay out: jobs bring them in their shaded jars, as on a distribution's {@code lib/}.
   */
  public String classpath() throws IOException {
    if (!Files.isDirectory(libDir)) {
      throw new IOException(libDir + " is missing: build first (mvn -B -DskipTests package)");
    }
    try (Stream<Path> jars = Files.list(libDir)) {
      return jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
          .filter(p -> onClusterClasspath(p.getFileName().toString()))
          .sorted()
          .map(Path::toString)
          .collect(Collectors.joining(java.io.File.pathSeparator));
    }
  }

  public static boolean onClusterClasspath(String jar) {
    return !(jar.startsWith("xfaas-")
        || jar.startsWith("kafka")
        || jar.startsWith("flink-connector-kafka")
        || jar.startsWith("scala-")
        || jar.startsWith("picocli"));
  }

  private Path log4jConfig() {
    return confDir.resolve("log4j-cluster.properties");
  }

  public static List<String> split(String options) {
    if (options == null || options.isBlank()) return List.of();
    return Arrays.stream(options.trim().split("\\s+")).toList();
  }

  public static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .filter(c -> c.endsWith("java"))
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
