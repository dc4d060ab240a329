package io.xfaas.kafka;

import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The delivery guarantee of one of the scheduler's Kafka sinks, as configuration writes it ({@code
 * at-least-once}, {@code exactly-once}).
 *
 * <p>Exactly-once writes in Kafka transactions that commit with the job's checkpoints: a {@code
 * read_committed} reader sees a record only after the next checkpoint, and never a record from
 * before a failover twice. At-least-once writes plain idempotent produce requests: a record is
 * visible at once, and after a failover the records written since the last completed checkpoint are
 * written again.
 */
public enum Delivery {
  AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE),
  EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE);

  private final DeliveryGuarantee guarantee;

  Delivery(DeliveryGuarantee guarantee) {
    this.guarantee = guarantee;
  }

  /** Flink's name for it, as {@code KafkaSinkBuilder.setDeliveryGuarantee} takes it. */
  public DeliveryGuarantee guarantee() {
    return guarantee;
  }
}
