package io.xfaas.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;

/**
 * A tenant's scheduling settings, as kept on the compacted config topic under key {@code
 * tenant/<name>}. A tombstone (null value) removes them; the tenant then falls back to the
 * unknown-tenant policy.
 *
 * @param tenant the tenant
 * @param rate reserved dispatch rate, per second (token bucket refill); guaranteed up to the
 *     tenant's weighted share of the region's capacity
 * @param burst token bucket size: dispatches allowed at once after idling
 * @param concurrency most invocations in flight (dispatched, not yet finished) at once
 * @param weight share of contended capacity relative to other backlogged tenants
 * @param bufferBound most invocations waiting in the tenant's FuncBuffer; more are REJECTED
 *     (BUFFER_FULL)
 * @param functions functions the tenant may call; empty means any
 * @param defaultDeadlineMs deadline, relative to submittedAt, for invocations that give none; null
 *     for none
 * @param opportunisticRate extra rate above {@code rate}, served only from spare capacity
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantSettings(
    String tenant,
    double rate,
    int burst,
    int concurrency,
    int weight,
    int bufferBound,
    List<String> functions,
    Long defaultDeadlineMs,
    double opportunisticRate)
    implements Serializable {

  public TenantSettings {
    functions = functions == null ? List.of() : List.copyOf(functions);
  }

  public static String configKey(String tenant) {
    return "tenant/" + tenant;
  }

  public boolean allows(String function) {
    return functions.isEmpty() || functions.contains(function);
  }

  public TenantSettings withTenant(String name) {
    return new TenantSettings(
        name,
        rate,
        burst,
        concurrency,
        weight,
        bufferBound,
        functions,
        defaultDeadlineMs,
        opportunisticRate);
  }

  /** Why these settings cannot be used, or null when they can. */
  public String problem() {
    if (tenant == null || tenant.isBlank()) return "tenant is required";
    if (!(rate > 0)) return "rate must be > 0";
    if (burst < 1) return "burst must be >= 1";
    if (concurrency < 1) return "concurrency must be >= 1";
    if (weight < 1) return "weight must be >= 1";
    if (bufferBound < 1) return "buffer must be >= 1";
    if (defaultDeadlineMs != null && defaultDeadlineMs <= 0) return "default deadline must be > 0";
    if (opportunisticRate < 0) return "opportunistic rate must be >= 0";
    return null;
  }
}
