package io.xfaas.scheduler.wire;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's own contract for a serializer (round trips, copies, snapshots, duplicates, threads), for
 * the wire serializers of immutable records: variable length, nothing to reuse. Each is tested as
 * the job gets it, from its type information in {@link WireTypes}.
 */
abstract class WireSerializerTestBase<T> extends SerializerTestBase<T> {
  private final TypeInformation<T> info;

  WireSerializerTestBase(TypeInformation<T> info) {
    this.info = info;
  }

  @Override
  protected TypeSerializer<T> createSerializer() {
    return info.createSerializer(new SerializerConfigImpl());
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<T> getTypeClass() {
    return info.getTypeClass();
  }

  @Override
  protected boolean allowNullInstances(TypeSerializer<T> s) {
    return true; // immutable records: there is nothing to reuse
  }
}
