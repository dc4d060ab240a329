package io.xfaas.gtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.config.XfaasConfig;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The GTC job checks its checkpoint storage like the scheduler job. */
class GtcJobConfigurationTest {
  @Test
  void withoutDurableCheckpointStorageTheJobFailsAtOnce() {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(new Configuration());
    assertThatThrownBy(() -> GtcJob.define(env, XfaasConfig.of(Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("xfaas-gtc needs durable checkpoint storage");
  }

  @Test
  void withACheckpointDirectoryCheckpointFailuresAreBounded() {
    Configuration client = new Configuration();
    client.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "file:///tmp/xfaas-test-cp");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(client);
    GtcJob.define(env, XfaasConfig.of(Map.of()));
    assertThat(env.getCheckpointConfig().getTolerableCheckpointFailureNumber()).isEqualTo(3);
  }
}
