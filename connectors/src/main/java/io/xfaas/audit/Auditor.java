package io.xfaas.audit;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.kafka.TopicSnapshot;
import io.xfaas.serde.InvocationSerde;
import java.time.Duration;
import java.util.Map;

/**
 * Audits a region from its topics: DurableQ (the submissions), then outcomes, the sidecars' results
 * and the DLQ, each read whole with {@code read_committed} ({@link TopicSnapshot}). A run that is
 * still going shows its pending calls as lost: audit once it has drained.
 */
public final class Auditor {
  private final XfaasConfig config;
  private final Duration timeout;

  /**
   * @param timeout how long reading each topic to its end may take
   */
  public Auditor(XfaasConfig config, Duration timeout) {
    this.config = config;
    this.timeout = timeout;
  }

  public AuditReport audit(AuditFilter filter) {
    Topics topics = config.topics();
    String servers = config.bootstrapServers();
    Map<String, String> security = config.kafkaClientProperties();
    AuditTally tally =
        new AuditTally(new InvocationSerde(config.invocationLimits()), topics.durableq(), filter);
    // DurableQ first: it decides which ids the other topics are read for.
    TopicSnapshot.read(
        servers,
        security,
        topics.durableq(),
        "audit",
        timeout,
        r -> tally.submission(r.value(), r.timestamp(), r.partition(), r.offset()));
    TopicSnapshot.read(
        servers, security, topics.outcomes(), "audit", timeout, r -> tally.outcome(r.value()));
    TopicSnapshot.read(
        servers, security, topics.results(), "audit", timeout, r -> tally.result(r.value()));
    TopicSnapshot.read(
        servers, security, topics.dlq(), "audit", timeout, r -> tally.deadLetter(r.value()));
    return tally.report(config.region());
  }
}
