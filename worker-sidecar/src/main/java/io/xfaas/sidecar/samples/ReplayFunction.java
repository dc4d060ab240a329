package io.xfaas.sidecar.samples;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.serde.Json;
import io.xfaas.sidecar.CallContext;
import java.io.IOException;

/**
 * {@code replay}: emulates a function of a replayed trace ({@code xfaas replay}). The payload
 * carries the call's execution time as the trace recorded it and the replay's time scale, {@code
 * {"runMs": 4318, "scale": 0.01}}; the call sleeps {@code round(runMs * scale)} ms (scale 1 when
 * absent) and returns {@code {"ranMs": N}}.
 *
 * <p>Trace functions have many names ({@code f-1a2b3c4d}, ...); the sidecar serves every name with
 * the prefix {@code xfaas.sidecar.prefix-functions} maps to {@code replay} by this function, so no
 * function has to be registered per trace name.
 */
public final class ReplayFunction extends NamedFunction {
  public static final String NAME = "replay";

  public ReplayFunction() {
    super(NAME);
  }

  @Override
  public String invoke(String payloadJson, CallContext ctx) throws InterruptedException {
    long ms = sleepMs(payloadJson);
    // Interruptible on purpose: the sidecar interrupts a call that exceeds its timeout.
    Thread.sleep(ms);
    return "{\"ranMs\":" + ms + "}";
  }

  /** How long a call with this payload sleeps: runMs scaled, rounded, at least 0. */
  static long sleepMs(String payloadJson) {
    long runMs = Payloads.nonNegativeLong(payloadJson, "runMs", 0);
    double scale = 1.0;
    if (payloadJson != null) {
      try {
        JsonNode node = Json.MAPPER.readTree(payloadJson).get("scale");
        if (node != null && !node.isNull()) {
          if (!node.isNumber() || !(node.doubleValue() >= 0)) {
            throw new IllegalArgumentException("scale must be a number >= 0, not " + node);
          }
          scale = node.doubleValue();
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("payload is not JSON: " + e.getMessage(), e);
      }
    }
    return Math.round(runMs * scale);
  }
}
