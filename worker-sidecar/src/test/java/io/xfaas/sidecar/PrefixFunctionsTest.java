package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xfaas.config.XfaasConfig;
import io.xfaas.config.XfaasOptions;
import io.xfaas.sidecar.samples.EchoFunction;
import io.xfaas.sidecar.samples.ReplayFunction;
import io.xfaas.sidecar.samples.SleepFunction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Serving many function names by one function through a name prefix (trace replay). */
class PrefixFunctionsTest {

  @Test
  void aPrefixedNameIsServedByTheFunctionOfItsPrefix() {
    FunctionRegistry functions =
        new FunctionRegistry().register(new ReplayFunction()).servePrefix("f-", "replay");

    assertThat(functions.get("f-1a2b3c4d")).isInstanceOf(ReplayFunction.class);
    assertThat(functions.get("f-")).isInstanceOf(ReplayFunction.class);
    assertThat(functions.get("g-1a2b3c4d")).isNull();
    assertThat(functions.get("echo")).isNull();
    assertThat(functions.prefixes()).containsExactly(Map.entry("f-", "replay"));
  }

  @Test
  void anExactNameWinsOverAPrefixAndTheLongestPrefixWins() {
    FunctionRegistry functions =
        new FunctionRegistry()
            .register(new ReplayFunction())
            .register(new EchoFunction())
            .register(new SleepFunction())
            .servePrefixes("e=sleep, echo-=echo ,f-=replay");

    assertThat(functions.get("echo")).isInstanceOf(EchoFunction.class);
    assertThat(functions.get("echo-2")).isInstanceOf(EchoFunction.class);
    assertThat(functions.get("e2")).isInstanceOf(SleepFunction.class);
    assertThat(functions.get("f-x")).isInstanceOf(ReplayFunction.class);
  }

  @Test
  void aPrefixOfAnUnregisteredFunctionServesNothingUntilItIsRegistered() {
    FunctionRegistry functions = new FunctionRegistry().servePrefix("f-", "replay");
    assertThat(functions.get("f-1")).isNull();

    functions.register(new ReplayFunction());

    assertThat(functions.get("f-1")).isInstanceOf(ReplayFunction.class);
  }

  @Test
  void badListsAreRefusedAndBlankIsNone() {
    FunctionRegistry functions = new FunctionRegistry();
    assertThat(functions.servePrefixes(" ").prefixes()).isEmpty();
    assertThatThrownBy(() -> functions.servePrefixes("f-"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> functions.servePrefixes("=replay"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> functions.servePrefixes("f-="))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSidecarServesTheConfiguredPrefixesByDefault() {
    FunctionRegistry functions = FunctionRegistry.fromServiceLoader();
    XfaasConfig config =
        XfaasConfig.of(Map.of(XfaasOptions.BOOTSTRAP_SERVERS.key(), "localhost:1"));

    try (WorkerSidecar sidecar = new WorkerSidecar(config, functions)) {
      assertThat(functions.get("f-0123abcd")).isInstanceOf(ReplayFunction.class);
    }
  }

  @Test
  void theEmulatorSleepsTheScaledRunTime() throws Exception {
    ReplayFunction replay = new ReplayFunction();

    long t0 = System.nanoTime();
    String result = replay.invoke("{\"runMs\":4000,\"scale\":0.01}", null);
    long tookMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(result).isEqualTo("{\"ranMs\":40}");
    assertThat(tookMs).isGreaterThanOrEqualTo(40);
    assertThat(replay.invoke("{\"runMs\":3}", null)).isEqualTo("{\"ranMs\":3}");
    assertThat(replay.invoke(null, null)).isEqualTo("{\"ranMs\":0}");
    assertThatThrownBy(() -> replay.invoke("{\"runMs\":3,\"scale\":-1}", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
