package io.xfaas.jobs;

import io.xfaas.config.XfaasConfig;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The {@code main} every xfaas job has, for the job its three parts describe. */
public final class JobMain {
  private JobMain() {}

  /**
   * Reads the configuration from {@code args} ({@code --config file} and any {@code
   * -Dxfaas.key=value}), builds the job on an environment with its Flink configuration, and runs it
   * until it ends.
   */
  public static void run(
      String[] args,
      Function<XfaasConfig, Configuration> jobConfiguration,
      BiConsumer<StreamExecutionEnvironment, XfaasConfig> define,
      Function<XfaasConfig, String> jobName)
      throws Exception {
    XfaasConfig config = XfaasConfig.fromArgs(args);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(jobConfiguration.apply(config));
    define.accept(env, config);
    env.execute(jobName.apply(config));
  }
}
