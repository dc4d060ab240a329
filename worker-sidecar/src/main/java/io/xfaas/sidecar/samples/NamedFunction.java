package io.xfaas.sidecar.samples;

import io.xfaas.sidecar.XfaasFunction;
import java.util.Objects;

/** A sample function under a name fixed when it is made. */
abstract class NamedFunction implements XfaasFunction {
  private final String name;

  NamedFunction(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public final String name() {
    return name;
  }
}
