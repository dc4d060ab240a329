package io.xfaas.scheduler;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.TenantSettings;
import io.xfaas.testing.EmbeddedKafkaExtension;
import io.xfaas.testing.FlinkClusterExtension;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the scheduler's integration tests on a real broker and MiniCluster share: the broker for the
 * class, a MiniCluster of two slots per test (so that a test that kills a TaskManager, or fails,
 * leaves the next one a clean cluster), and the scheduler job started on them for a region.
 */
public abstract class SchedulerITCaseBase {
  @RegisterExtension
  protected static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @RegisterExtension
  protected static final FlinkClusterExtension FLINK = FlinkClusterExtension.slots(2).perTest();

  /** Starts the scheduler job for {@code config}, a region made by {@code KAFKA.newRegion}. */
  protected static SchedulerRun startScheduler(XfaasConfig config) throws Exception {
    return SchedulerRun.start(KAFKA, config);
  }

  /**
   * A tenant held only by its rate, burst and weight: no bound on its concurrency or its buffer,
   * any function, no default deadline, no opportunistic quota.
   */
  protected static TenantSettings paced(String name, double rate, int burst, int weight) {
    return new TenantSettings(name, rate, burst, 1_000_000, weight, 1_000_000, List.of(), null, 0);
  }
}
