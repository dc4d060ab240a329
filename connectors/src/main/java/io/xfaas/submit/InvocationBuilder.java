package io.xfaas.submit;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds an invocation for {@link SubmitterClient}. Unset {@code id} and {@code submittedAt} are
 * filled in by the client when it sends.
 *
 * <pre>{@code
 * client.submit(InvocationBuilder.call("acme", "resize").payload("{\"w\":64}")
 *     .criticality(Criticality.DEFERRABLE).deadline(now + 60_000).build());
 * }</pre>
 */
public final class InvocationBuilder {
  private String id;
  private final String tenant;
  private final String function;
  private Criticality criticality = Criticality.NORMAL;
  private int priority;
  private long submittedAt;
  private Long notBefore;
  private Long deadline;
  private int maxAttempts;
  private String payload;
  private final Map<String, String> attributes = new LinkedHashMap<>();

  private InvocationBuilder(String tenant, String function) {
    this.tenant = tenant;
    this.function = function;
  }

  public static InvocationBuilder call(String tenant, String function) {
    return new InvocationBuilder(tenant, function);
  }

  public InvocationBuilder id(String id) {
    this.id = id;
    return this;
  }

  public InvocationBuilder criticality(Criticality c) {
    this.criticality = c;
    return this;
  }

  public InvocationBuilder priority(int p) {
    this.priority = p;
    return this;
  }

  public InvocationBuilder submittedAt(long at) {
    this.submittedAt = at;
    return this;
  }

  public InvocationBuilder notBefore(long at) {
    this.notBefore = at;
    return this;
  }

  public InvocationBuilder deadline(long at) {
    this.deadline = at;
    return this;
  }

  public InvocationBuilder maxAttempts(int n) {
    this.maxAttempts = n;
    return this;
  }

  /** The function's argument, as JSON text. */
  public InvocationBuilder payload(String json) {
    this.payload = json;
    return this;
  }

  public InvocationBuilder attribute(String name, String value) {
    attributes.put(name, value);
    return this;
  }

  /** {@code maxAttempts} 0 means "the configured default"; the client resolves it. */
  public Invocation build() {
    return new Invocation(
        id,
        tenant,
        function,
        criticality,
        priority,
        submittedAt,
        notBefore,
        deadline,
        1,
        maxAttempts,
        payload,
        Map.copyOf(attributes),
        null,
        Map.of());
  }
}
