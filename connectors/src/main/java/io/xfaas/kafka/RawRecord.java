package io.xfaas.kafka;

/**
 * A DurableQ record as it arrived, before parsing: the bytes plus where they came from, so a dead
 * letter can point back at the original.
 */
public record RawRecord(
    String topic, int partition, long offset, long timestamp, byte[] key, byte[] value)
    implements TopicRecord {}
