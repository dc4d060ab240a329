package io.xfaas.scheduler.wire;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's own contract for a serializer (round trips, copies, snapshots, duplicates, threads), for
 * the wire serializers of immutable records: variable length, nothing to reuse.
 */
abstract class WireSerializerTestBase<T> extends SerializerTestBase<T> {
  private final TypeSerializer<T> serializer;
  private final Class<T> type;

  WireSerializerTestBase(TypeSerializer<T> serializer, Class<T> type) {
    this.serializer = serializer;
    this.type = type;
  }

  @Override
  protected TypeSerializer<T> createSerializer() {
    return serializer;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<T> getTypeClass() {
    return type;
  }

  @Override
  protected boolean allowNullInstances(TypeSerializer<T> s) {
    return true; // immutable records: there is nothing to reuse
  }
}
