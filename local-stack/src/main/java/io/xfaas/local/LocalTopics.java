package io.xfaas.local;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the region's topics that are missing, on the embedded broker or an external one alike.
 * Existing topics are left as they are, so a restart against the same Kafka keeps its data.
 */
public final class LocalTopics {
  private LocalTopics() {}

  public static void create(XfaasConfig config) throws InterruptedException, ExecutionException {
    Topics topics = config.topics();
    List<NewTopic> wanted = new ArrayList<>();
    // The broker's default replication factor: 1 on the embedded broker, whatever a cluster says.
    topics
        .partitions(config.getInt(XfaasOptions.TOPIC_PARTITIONS))
        .forEach((name, n) -> wanted.add(new NewTopic(name, Optional.of(n), Optional.empty())));
    topics
        .compacted()
        .forEach(
            (name, n) ->
                wanted.add(
                    new NewTopic(name, Optional.of(n), Optional.empty())
                        .configs(Map.of("cleanup.policy", "compact"))));
    Map<String, Object> conf = new HashMap<>(config.kafkaClientProperties());
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try (Admin admin = Admin.create(conf)) {
      CreateTopicsResult result = admin.createTopics(wanted);
      for (var f : result.values().values()) {
        try {
          f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) throw e;
        } catch (TimeoutException e) {
          throw new IllegalStateException("Kafka did not create the topics in 30 s", e);
        }
      }
    }
  }
}
