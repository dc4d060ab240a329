package io.xfaas.records;

import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@link Outcome} as the outcomes topic carries it: its id (the record's key) and its JSON. The
 * scheduler passes a sidecar's result on in this form, the bytes the sidecar wrote, without reading
 * them into an {@code Outcome} and writing them out again; outcomes it decides itself (expired,
 * rejected, cancelled) it writes with {@link #of}.
 *
 * @param id the invocation's id
 * @param json the outcome as {@link Json#write} writes it (a sidecar's results are byte for byte
 *     the same)
 */
public record SerializedOutcome(String id, byte[] json) {

  public static SerializedOutcome of(Outcome outcome) {
    return new SerializedOutcome(outcome.id(), Json.write(outcome));
  }

  /** The outcome read back, for tests and tools: the scheduler itself never needs it. */
  public Outcome outcome() {
    return Json.readOutcome(json);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SerializedOutcome other
        && Objects.equals(id, other.id)
        && Arrays.equals(json, other.json);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(id) + Arrays.hashCode(json);
  }

  @Override
  public String toString() {
    return "SerializedOutcome[" + new String(json, StandardCharsets.UTF_8) + "]";
  }
}
