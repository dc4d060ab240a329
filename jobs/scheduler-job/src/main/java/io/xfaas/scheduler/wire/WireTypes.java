package io.xfaas.scheduler.wire;

import io.xfaas.records.Invocation;
import io.xfaas.records.SerializedOutcome;
import io.xfaas.scheduler.buffer.TenantEvent;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information for the records the scheduler ships between tasks, with hand-written serializers
 * instead of Flink's reflective POJO serializer.
 */
public final class WireTypes {
  private WireTypes() {}

  public static final TypeInformation<TenantEvent> TENANT_EVENT =
      new Info<>(TenantEventSerializer.INSTANCE);

  public static final TypeInformation<Invocation> INVOCATION =
      new Info<>(InvocationSerializer.INSTANCE);

  public static final TypeInformation<SerializedOutcome> SERIALIZED_OUTCOME =
      new Info<>(SerializedOutcomeSerializer.INSTANCE);

  /** A non-composite type with one fixed serializer, of the record class it serializes. */
  private static final class Info<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;
    private final ImmutableRecordSerializer<T> serializer;

    Info(ImmutableRecordSerializer<T> serializer) {
      this.serializer = serializer;
    }

    @Override
    public boolean isBasicType() {
      return false;
    }

    @Override
    public boolean isTupleType() {
      return false;
    }

    @Override
    public int getArity() {
      return 1;
    }

    @Override
    public int getTotalFields() {
      return 1;
    }

    @Override
    public Class<T> getTypeClass() {
      return serializer.recordClass();
    }

    @Override
    public boolean isKeyType() {
      return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
      return serializer;
    }

    @Override
    public String toString() {
      return getTypeClass().getSimpleName() + "(wire)";
    }

    @Override
    public boolean equals(Object obj) {
      return obj instanceof Info<?> other
          && other.getTypeClass() == getTypeClass()
          && other.canEqual(this);
    }

    @Override
    public int hashCode() {
      return Objects.hash(getTypeClass(), serializer);
    }

    @Override
    public boolean canEqual(Object obj) {
      return obj instanceof Info;
    }
  }
}
