package io.xfaas.kafka;

/**
 * The delivery guarantee of one of the scheduler's Kafka sinks, as configuration writes it ({@code
 * at-least-once}, {@code exactly-once}).
 *
 * <p>Exactly-once writes in Kafka transactions that commit with the job's checkpoints: a {@code
 * read_committed} reader sees a record only after the next checkpoint, and never a record from
 * before a failover twice. At-least-once writes plain idempotent produce requests: a record is
 * visible at once, and after a failover the records written since the last completed checkpoint are
 * written again.
 *
 * <p>No Flink type appears here: the sidecar and the command line read this option without Flink's
 * connector classes on their class path. {@link XfaasKafka#guarantee} maps it to Flink's.
 */
public enum Delivery {
  AT_LEAST_ONCE,
  EXACTLY_ONCE
}
