package io.xfaas.kafka;

/** The bytes of a record read from a topic, and where they were read: what a dead letter keeps. */
public interface TopicRecord {
  String topic();

  int partition();

  long offset();

  byte[] value();
}
