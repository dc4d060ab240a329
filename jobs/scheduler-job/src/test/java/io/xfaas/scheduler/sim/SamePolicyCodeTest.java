package io.xfaas.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The what-if simulation runs the job's policy classes, not a copy of them: the job's own admission
 * policy ({@code ArrivalCheck}), its buffer bound changed to admit nothing, is compiled and put
 * ahead of the real one in a class loader of its own; the same scenario then rejects every call,
 * where with the job's class every call goes.
 */
class SamePolicyCodeTest {
  private static final Path ADMISSION =
      Path.of("src/main/java/io/xfaas/scheduler/buffer/ArrivalCheck.java");
  private static final String BOUND = "if (waiting >= tenant.bufferBound()) {";

  @Test
  void aQuotaPolicyThatAdmitsNothingRejectsEverythingInTheSimulation(@TempDir Path tmp)
      throws Exception {
    String source = Files.readString(ADMISSION);
    assertThat(source).as("the policy line this test changes").contains(BOUND);
    Path changed = tmp.resolve("src/io/xfaas/scheduler/buffer/ArrivalCheck.java");
    Files.createDirectories(changed.getParent());
    // The quota's buffer bound, changed to admit nothing: every arrival finds the buffer full.
    Files.writeString(changed, source.replace(BOUND, "if (true) {"));
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classpath = System.getProperty("java.class.path");
    int rc =
        javac.run(
            null,
            null,
            null,
            "-classpath",
            classpath,
            "-d",
            classes.toString(),
            "-proc:none",
            changed.toString());
    assertThat(rc).as("javac").isZero();

    String withJobsQuota = SameCodeScenario.run();
    String withTestQuota = runWith(classes, classpath);

    assertThat(withJobsQuota).isEqualTo("dispatched=100 expired=0 rejected=0");
    assertThat(withTestQuota).isEqualTo("dispatched=0 expired=0 rejected=100");
  }

  /** Runs the scenario in a class loader that finds {@code first} before the test's classpath. */
  private static String runWith(Path first, String classpath) throws Exception {
    List<URL> urls = new ArrayList<>();
    urls.add(first.toUri().toURL());
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) urls.add(Path.of(entry).toUri().toURL());
    }
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> scenario = loader.loadClass(SameCodeScenario.class.getName());
      assertThat(scenario.getClassLoader()).isSameAs(loader);
      assertThat(
              loader
                  .loadClass("io.xfaas.scheduler.buffer.ArrivalCheck")
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation())
          .isEqualTo(first.toUri().toURL());
      return (String) scenario.getMethod("run").invoke(null);
    }
  }
}
