package io.xfaas.security;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The SCRAM pieces that the tenants' principals ({@link TenantPrincipals}) and the embedded
 * broker's users share: a client's login and a new user's password.
 */
public final class Scram {
  private Scram() {}

  /** The {@code sasl.jaas.config} value with which SCRAM user {@code user} logs in. */
  public static String jaasConfig(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /** A new random password: 16 random bytes, as hex. */
  public static String randomPassword() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
