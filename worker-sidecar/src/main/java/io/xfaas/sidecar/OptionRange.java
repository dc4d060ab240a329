package io.xfaas.sidecar;

import io.xfaas.config.XfaasOption;

/** The range check the sidecar's settings records share: the error names the option, as set. */
final class OptionRange {
  private OptionRange() {}

  /** Throws unless {@code ok}: {@code value} is out of {@code option}'s range. */
  static void require(boolean ok, XfaasOption<?> option, long value) {
    if (!ok) throw new IllegalArgumentException(option.key() + " is out of range: " + value);
  }
}
