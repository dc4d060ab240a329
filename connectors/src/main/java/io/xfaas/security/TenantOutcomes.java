package io.xfaas.security;

import io.xfaas.config.Topics;

/**
 * Each tenant's own outcomes topic, {@code <outcomes>.tenant.<tenant>}: a copy of the region's
 * outcomes of that tenant's calls, which only the tenant's principal may read. Kafka's ACLs are per
 * topic, not per record, so a tenant that must not see other tenants' outcomes reads a topic of its
 * own (docs/security.md).
 */
public final class TenantOutcomes {
  private TenantOutcomes() {}

  /** What every tenant's outcomes topic starts with. */
  public static String prefix(Topics topics) {
    return topics.outcomes() + ".tenant.";
  }

  public static String topic(Topics topics, String tenant) {
    return prefix(topics) + tenant;
  }

  /** The consumer group of the job that writes them (it runs as the scheduler). */
  public static String groupId(io.xfaas.config.XfaasConfig config) {
    return config.get(io.xfaas.config.XfaasOptions.SCHEDULER_GROUP_ID) + "-tenant-outcomes";
  }

  /** The tenant whose outcomes topic this is, or null for any other topic. */
  public static String tenantOf(Topics topics, String topic) {
    String p = prefix(topics);
    return topic.startsWith(p) && topic.length() > p.length() ? topic.substring(p.length()) : null;
  }
}
