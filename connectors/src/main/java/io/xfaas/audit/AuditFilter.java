package io.xfaas.audit;

/**
 * Which invocations one audit covers, so that a run can be audited on a topic it shares with
 * others. Every part is optional (null: any); a record is in scope when it matches all given parts.
 *
 * @param fromMs earliest {@code submittedAt} (inclusive), epoch ms; for a record that cannot be
 *     parsed, its Kafka timestamp stands in
 * @param toMs latest {@code submittedAt} (exclusive), epoch ms
 * @param idPrefix ids start with this (a run tag, e.g. {@code run42-})
 * @param tenant the tenant
 */
public record AuditFilter(Long fromMs, Long toMs, String idPrefix, String tenant) {
  /** Everything on the topics. */
  public static final AuditFilter ALL = new AuditFilter(null, null, null, null);

  public AuditFilter {
    if (fromMs != null && toMs != null && toMs <= fromMs) {
      throw new IllegalArgumentException("the time range ends before it starts");
    }
    if (idPrefix != null && idPrefix.isEmpty()) idPrefix = null;
    if (tenant != null && tenant.isEmpty()) tenant = null;
  }

  /** Only ids starting with {@code prefix}. */
  public static AuditFilter idPrefix(String prefix) {
    return new AuditFilter(null, null, prefix, null);
  }

  /**
   * Whether a submission is in scope. An unknown id or tenant (null, from a broken record) does not
   * match a filter that asks for one.
   */
  public boolean matches(String id, String tenant, long time) {
    if (fromMs != null && time < fromMs) return false;
    if (toMs != null && time >= toMs) return false;
    return matchesIdentity(id, tenant);
  }

  /** Whether an id and tenant pass the id-prefix and tenant parts (no time). */
  public boolean matchesIdentity(String id, String tenant) {
    if (idPrefix != null && (id == null || !id.startsWith(idPrefix))) return false;
    return this.tenant == null || this.tenant.equals(tenant);
  }

  /** Human-readable, for the report's header. */
  public String describe() {
    if (this.equals(ALL)) return "everything";
    StringBuilder b = new StringBuilder();
    if (idPrefix != null) b.append("ids ").append(idPrefix).append("* ");
    if (tenant != null) b.append("tenant ").append(tenant).append(' ');
    if (fromMs != null)
      b.append("from ").append(java.time.Instant.ofEpochMilli(fromMs)).append(' ');
    if (toMs != null) b.append("to ").append(java.time.Instant.ofEpochMilli(toMs)).append(' ');
    return b.toString().trim();
  }
}
