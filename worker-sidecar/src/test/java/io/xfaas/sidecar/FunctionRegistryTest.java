package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.sidecar.samples.EchoFunction;
import org.junit.jupiter.api.Test;

class FunctionRegistryTest {

  @Test
  void serviceLoaderFindsTheSamples() {
    FunctionRegistry functions = FunctionRegistry.fromServiceLoader();

    assertThat(functions.names()).contains("echo", "fail", "replay", "sleep");
    assertThat(functions.get("echo")).isInstanceOf(EchoFunction.class);
    assertThat(functions.get("nope")).isNull();
    assertThat(functions.get(null)).isNull();
  }

  @Test
  void aSecondFunctionOfTheSameNameIsRefused() {
    FunctionRegistry functions = new FunctionRegistry().register(new EchoFunction());

    assertThatThrownBy(() -> functions.register(new EchoFunction()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'echo' is registered twice");
  }

  @Test
  void registeringTheSameInstanceTwiceIsHarmless() {
    EchoFunction echo = new EchoFunction();

    FunctionRegistry functions = new FunctionRegistry().register(echo).register(echo);

    assertThat(functions.names()).containsExactly("echo");
  }
}
