package io.xfaas.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.assertj.core.api.AbstractThrowableAssert;

/**
 * What every job's {@code define(env, config)} must do with checkpoints, checked the same way for
 * each job: refuse a client configuration without durable checkpoint storage, and build in one with
 * a checkpoint directory.
 */
public final class JobDefinitions {
  /** The checkpoint directory {@link #definedWithCheckpointDirectory} gives the client. */
  public static final String CHECKPOINT_DIR = "file:///tmp/xfaas-test-cp";

  private JobDefinitions() {}

  /**
   * Asserts that {@code define} refuses a local environment without checkpoint storage at once,
   * saying that job {@code jobName} needs durable storage; returns the assertion for more checks.
   */
  public static AbstractThrowableAssert<?, ? extends Throwable> assertRefusedWithoutDurableStorage(
      Consumer<StreamExecutionEnvironment> define, String jobName) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(new Configuration());
    return assertThatThrownBy(() -> define.accept(env))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(jobName + " needs durable checkpoint storage");
  }

  /** A local environment with {@link #CHECKPOINT_DIR} set, the job defined in it. */
  public static StreamExecutionEnvironment definedWithCheckpointDirectory(
      Consumer<StreamExecutionEnvironment> define) {
    Configuration client = new Configuration();
    client.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, CHECKPOINT_DIR);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(client);
    define.accept(env);
    return env;
  }
}
