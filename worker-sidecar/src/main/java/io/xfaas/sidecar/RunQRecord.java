package io.xfaas.sidecar;

import io.xfaas.kafka.TopicRecord;

/**
 * A RunQ record as it arrived, before parsing: its bytes and where they came from, so that a dead
 * letter can point back at the original.
 */
public record RunQRecord(String topic, int partition, long offset, byte[] value)
    implements TopicRecord {}
