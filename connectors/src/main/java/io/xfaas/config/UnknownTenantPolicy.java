package io.xfaas.config;

/** What the scheduler does with a tenant that has no settings on the config topic. */
public enum UnknownTenantPolicy {
  /** The tenant gets the {@code xfaas.tenants.default.*} quota. */
  DEFAULT_QUOTA,
  /** Its invocations are REJECTED with reason UNKNOWN_TENANT. */
  REJECT
}
