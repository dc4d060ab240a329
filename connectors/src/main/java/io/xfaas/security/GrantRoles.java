package io.xfaas.security;

import io.xfaas.config.XfaasConfig;
import io.xfaas.security.RoleAcls.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBinding;

/**
 * Grants each role's ACLs ({@link RoleAcls}) to the SCRAM user of the same name ({@code scheduler},
 * {@code sidecar}, {@code gtc}, {@code operator}, {@code analyst}), as the broker's admin: what
 * docker-compose's secure variant runs once its broker is up. Arguments as the jobs take them
 * ({@code --config FILE -Dkey=value}); the admin's client settings come from {@code
 * xfaas.kafka.client-properties-file}. Creating an ACL that exists changes nothing, so it may run
 * again.
 */
public final class GrantRoles {
  private GrantRoles() {}

  public static void main(String[] args) throws Exception {
    XfaasConfig config = XfaasConfig.fromArgs(args);
    List<AclBinding> acls = new ArrayList<>();
    for (Role role : Role.values()) {
      if (role == Role.TENANT_PRODUCER) continue; // a principal per tenant: xfaas tenants set
      acls.addAll(RoleAcls.of(role, "User:" + user(role), config));
    }
    Map<String, Object> conf = new HashMap<>(config.kafkaClientProperties());
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    try (Admin admin = Admin.create(conf)) {
      admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
    }
    System.out.println("granted " + acls.size() + " ACLs to the roles' users");
  }

  /** The SCRAM user a role runs as: its name in lower case (the GTC job's is {@code gtc}). */
  public static String user(Role role) {
    return role.name().toLowerCase(Locale.ROOT);
  }
}
