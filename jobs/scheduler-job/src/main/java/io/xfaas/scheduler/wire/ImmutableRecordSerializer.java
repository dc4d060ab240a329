package io.xfaas.scheduler.wire;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.InstantiationUtil;

/**
 * A stateless serializer of an immutable Java record in a format of its own: copying is the
 * identity, one instance serves every thread, and the serializer's class is all its snapshot holds.
 */
abstract class ImmutableRecordSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  /** Writes one record in the format. */
  interface Writer<T> extends Serializable {
    void write(T value, DataOutputView out) throws IOException;
  }

  /** Reads one record in the format. */
  interface Reader<T> extends Serializable {
    T read(DataInputView in) throws IOException;
  }

  private final Class<T> type;
  private final Writer<T> writer;
  private final Reader<T> reader;

  ImmutableRecordSerializer(Class<T> type, Writer<T> writer, Reader<T> reader) {
    this.type = type;
    this.writer = writer;
    this.reader = reader;
  }

  /** The record class it serializes. */
  final Class<T> recordClass() {
    return type;
  }

  @Override
  public final void serialize(T value, DataOutputView out) throws IOException {
    writer.write(value, out);
  }

  @Override
  public final T deserialize(DataInputView in) throws IOException {
    return reader.read(in);
  }

  @Override
  public final boolean isImmutableType() {
    return true;
  }

  @Override
  public final TypeSerializer<T> duplicate() {
    return this;
  }

  @Override
  public final T createInstance() {
    return null;
  }

  @Override
  public final T copy(T from) {
    return from;
  }

  @Override
  public final T copy(T from, T reuse) {
    return from;
  }

  @Override
  public final int getLength() {
    return -1;
  }

  @Override
  public final T deserialize(T reuse, DataInputView source) throws IOException {
    return deserialize(source);
  }

  @Override
  public final void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public final TypeSerializerSnapshot<T> snapshotConfiguration() {
    return new Snapshot<>(getClass());
  }

  @Override
  public final boolean equals(Object obj) {
    return obj != null && obj.getClass() == getClass();
  }

  @Override
  public final int hashCode() {
    return getClass().hashCode();
  }

  /**
   * No configuration: the format is the serializer's class's, so the snapshot names the class and
   * restores a new instance of it (public, with no arguments).
   */
  public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {
    private Class<? extends TypeSerializer<T>> type;

    /** For Flink, which reads the class with {@link #readSnapshot}. */
    public Snapshot() {}

    @SuppressWarnings("unchecked")
    Snapshot(Class<?> type) {
      this.type = (Class<? extends TypeSerializer<T>>) type;
    }

    @Override
    public int getCurrentVersion() {
      return 1;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
      out.writeUTF(type.getName());
    }

    @Override
    public void readSnapshot(int version, DataInputView in, ClassLoader classLoader)
        throws IOException {
      type = InstantiationUtil.resolveClassByName(in, classLoader);
    }

    @Override
    public TypeSerializer<T> restoreSerializer() {
      return InstantiationUtil.instantiate(type);
    }

    @Override
    public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
        TypeSerializerSnapshot<T> old) {
      return old instanceof Snapshot<T> s && s.type == type
          ? TypeSerializerSchemaCompatibility.compatibleAsIs()
          : TypeSerializerSchemaCompatibility.incompatible();
    }
  }
}
