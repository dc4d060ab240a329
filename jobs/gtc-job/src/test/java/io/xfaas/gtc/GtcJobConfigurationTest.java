package io.xfaas.gtc;

import static io.xfaas.testing.JobDefinitions.assertRefusedWithoutDurableStorage;
import static io.xfaas.testing.JobDefinitions.definedWithCheckpointDirectory;
import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The GTC job checks its checkpoint storage like the scheduler job. */
class GtcJobConfigurationTest {
  @Test
  void withoutDurableCheckpointStorageTheJobFailsAtOnce() {
    assertRefusedWithoutDurableStorage(
        env -> GtcJob.define(env, XfaasConfig.of(Map.of())), "xfaas-gtc");
  }

  @Test
  void withACheckpointDirectoryCheckpointFailuresAreBounded() {
    StreamExecutionEnvironment env =
        definedWithCheckpointDirectory(e -> GtcJob.define(e, XfaasConfig.of(Map.of())));
    assertThat(env.getCheckpointConfig().getTolerableCheckpointFailureNumber()).isEqualTo(3);
  }
}
