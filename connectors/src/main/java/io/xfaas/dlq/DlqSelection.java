package io.xfaas.dlq;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Which dead letters a command works on: every filter given must match; a filter not given (null,
 * or no ids) matches everything.
 *
 * @param reason the reason code's name
 * @param tenant the tenant
 * @param ids invocation ids; a dead letter matches when its id is one of them
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DlqSelection(String reason, String tenant, List<String> ids) {
  public DlqSelection {
    ids = ids == null ? List.of() : List.copyOf(ids);
  }

  public static DlqSelection all() {
    return new DlqSelection(null, null, List.of());
  }

  /** This selection without its reason filter (for counts by reason). */
  public DlqSelection anyReason() {
    return new DlqSelection(null, tenant, ids);
  }

  @JsonIgnore
  public boolean isEmpty() {
    return reason == null && tenant == null && ids.isEmpty();
  }

  /** Whether the record matches; a record that is not a readable dead letter never does. */
  public boolean matches(DlqRecord r) {
    if (r.letter() == null) return reason == null && tenant == null && ids.isEmpty();
    if (reason != null && !reason.equals(r.reasonName())) return false;
    if (tenant != null && !tenant.equals(r.letter().tenant())) return false;
    return ids.isEmpty() || (r.letter().id() != null && ids.contains(r.letter().id()));
  }

  /** E.g. {@code reason=UNKNOWN_TENANT tenant=ads}; {@code (all)} when there is no filter. */
  public String describe() {
    StringBuilder s = new StringBuilder();
    if (reason != null) s.append("reason=").append(reason);
    if (tenant != null) s.append(s.isEmpty() ? "" : " ").append("tenant=").append(tenant);
    if (!ids.isEmpty())
      s.append(s.isEmpty() ? "" : " ").append("id=").append(String.join(",", ids));
    return s.isEmpty() ? "(all)" : s.toString();
  }
}
