package io.xfaas.security;

import io.xfaas.config.Topics;
import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The roles of an xfaas deployment as Kafka ACLs, least privilege: exactly the topics, consumer
 * groups and transactional ids each role uses (docs/security.md has them as a table). WRITE on a
 * topic implies the idempotent producer's cluster right; READ implies DESCRIBE.
 */
public final class RoleAcls {
  private RoleAcls() {}

  /** Who uses Kafka, and for what. */
  public enum Role {
    /** Submits calls: writes DurableQ. */
    TENANT_PRODUCER,
    /** The scheduler job. */
    SCHEDULER,
    /** A worker sidecar. */
    SIDECAR,
    /** The global traffic conductor job. */
    GTC,
    /** Tenant settings, dead-letter redrive, audits, topics. */
    OPERATOR,
    /** Reads the telemetry and outcomes; writes nothing. */
    ANALYST
  }

  /** Consumer groups of the analyst's queries (Flink SQL) start with this. */
  public static final String ANALYST_GROUP_PREFIX = "xfaas-analyst";

  /** The consumer group of {@code xfaas sql}'s tables (sql/tables.sql). */
  public static String sqlGroup(XfaasConfig config) {
    return "xfaas." + config.region() + ".sql";
  }

  /** The ACLs of {@code role} for {@code principal} (e.g. {@code User:acme}). */
  public static List<AclBinding> of(Role role, String principal, XfaasConfig config) {
    Topics t = config.topics();
    Acls a = new Acls(principal);
    switch (role) {
      case TENANT_PRODUCER -> a.topic(AclOperation.WRITE, t.durableq());
      case SCHEDULER -> {
        a.topic(AclOperation.READ, t.durableq(), t.results(), t.config(), t.feedback());
        a.topic(
            AclOperation.WRITE,
            t.runq(),
            t.outcomes(),
            t.dlq(),
            t.metrics(),
            t.decisions(),
            t.load());
        a.group(config.get(XfaasOptions.SCHEDULER_GROUP_ID), PatternType.LITERAL);
        a.transactionalIds(config.get(XfaasOptions.SCHEDULER_TRANSACTIONAL_ID_PREFIX));
        // Its tenant-outcomes job: the outcomes, copied to each tenant's own topic.
        a.topic(AclOperation.READ, t.outcomes());
        a.prefixedTopic(AclOperation.WRITE, TenantOutcomes.prefix(t));
        a.group(TenantOutcomes.groupId(config), PatternType.LITERAL);
      }
      case SIDECAR -> {
        a.topic(AclOperation.READ, t.runq());
        // Results and feedback, load reports, dead letters, and retries back to DurableQ.
        a.topic(AclOperation.WRITE, t.results(), t.feedback(), t.load(), t.dlq(), t.durableq());
        a.group(config.get(XfaasOptions.SIDECAR_GROUP_ID), PatternType.LITERAL);
      }
      case GTC -> {
        a.topic(AclOperation.READ, t.load());
        a.topic(AclOperation.WRITE, t.gtcDecisions());
        a.group(config.get(XfaasOptions.GTC_GROUP_ID), PatternType.LITERAL);
        a.transactionalIds(config.get(XfaasOptions.GTC_TRANSACTIONAL_ID_PREFIX));
      }
      case OPERATOR -> {
        a.topic(AclOperation.READ, t.config(), t.dlq(), t.dlqRedrive(), t.durableq(), t.outcomes());
        a.topic(AclOperation.READ, t.results());
        a.topic(AclOperation.WRITE, t.config(), t.dlqRedrive(), t.durableq());
        a.topic(AclOperation.CREATE, t.config(), t.dlqRedrive());
        a.group("*", PatternType.LITERAL); // every group: redrive and audit readers
        a.cluster(AclOperation.DESCRIBE);
        a.cluster(AclOperation.DESCRIBE_CONFIGS);
        // A principal per tenant: its SCRAM user, its ACLs and its outcomes topic.
        a.cluster(AclOperation.ALTER);
        a.prefixedTopic(AclOperation.CREATE, TenantOutcomes.prefix(t));
      }
      case ANALYST -> {
        // What the shipped SQL queries read (sql/tables.sql), and their consumer group.
        a.topic(
            AclOperation.READ,
            t.metrics(),
            t.decisions(),
            t.load(),
            t.outcomes(),
            t.dlq(),
            t.gtcDecisions());
        a.group(ANALYST_GROUP_PREFIX, PatternType.PREFIXED);
        a.group(sqlGroup(config), PatternType.LITERAL);
      }
    }
    return a.bindings;
  }

  /**
   * A tenant's own principal: the tenant producer's rights, and READ on its outcomes topic ({@link
   * TenantOutcomes}) with its one consumer group, {@code tenant-<tenant>}, both literal so that no
   * other tenant's name can match.
   */
  public static List<AclBinding> forTenant(String principal, String tenant, XfaasConfig config) {
    Acls a = new Acls(principal);
    a.bindings.addAll(of(Role.TENANT_PRODUCER, principal, config));
    a.topic(AclOperation.READ, TenantOutcomes.topic(config.topics(), tenant));
    a.group(TenantPrincipals.groupOf(tenant), PatternType.LITERAL);
    return a.bindings;
  }

  /** Builds one principal's bindings. */
  private static final class Acls {
    private final String principal;
    private final List<AclBinding> bindings = new ArrayList<>();

    Acls(String principal) {
      this.principal = principal;
    }

    void topic(AclOperation op, String... topics) {
      for (String topic : topics) {
        add(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL), op);
      }
    }

    void prefixedTopic(AclOperation op, String prefix) {
      add(new ResourcePattern(ResourceType.TOPIC, prefix, PatternType.PREFIXED), op);
    }

    void group(String name, PatternType type) {
      add(new ResourcePattern(ResourceType.GROUP, name, type), AclOperation.READ);
    }

    void transactionalIds(String prefix) {
      ResourcePattern ids =
          new ResourcePattern(ResourceType.TRANSACTIONAL_ID, prefix, PatternType.PREFIXED);
      add(ids, AclOperation.WRITE);
      add(ids, AclOperation.DESCRIBE);
    }

    void cluster(AclOperation op) {
      add(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), op);
    }

    private void add(ResourcePattern pattern, AclOperation op) {
      bindings.add(
          new AclBinding(
              pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW)));
    }
  }
}
