package io.xfaas.testing;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.util.TestStreamEnvironment;

/**
 * The context environment of a test MiniCluster that carries the cluster's own settings a client
 * would read from config.yaml ({@code base}: its checkpoint and savepoint directories): the jobs
 * check their checkpoint storage on the client, as they do with {@code flink run} or a REST
 * submission, where the cluster's configuration is the environment's. Flink's {@code
 * TestStreamEnvironment.setAsContext} starts every environment from an empty configuration.
 */
final class ClusterContextEnvironment extends TestStreamEnvironment {
  private ClusterContextEnvironment(MiniCluster cluster, int parallelism) {
    super(cluster, parallelism);
  }

  /** Every {@code getExecutionEnvironment(conf)} runs on {@code cluster} with {@code base}+conf. */
  static void setAsContext(MiniCluster cluster, int parallelism, Configuration base) {
    Configuration copy = new Configuration(base);
    initializeContextEnvironment(
        conf -> {
          Configuration merged = new Configuration(copy);
          merged.addAll(conf);
          TestStreamEnvironment env =
              new TestStreamEnvironment(cluster, merged, parallelism, List.of(), List.of());
          env.configure(merged);
          return env;
        });
  }
}
