package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SidecarHttpServerTest {
  private final WorkerSidecar sidecar =
      new WorkerSidecar(XfaasConfig.of(Map.of()), FunctionRegistry.fromServiceLoader());

  @Test
  void endpointsListenOnLocalhostUnlessConfigured() {
    String bind = SidecarSettings.from(XfaasConfig.of(Map.of())).httpBindAddress();
    try (SidecarHttpServer http = SidecarHttpServer.start(bind, 0, sidecar)) {
      assertThat(http.address().getAddress().isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void everyInterfaceWhenAskedFor() {
    String bind =
        SidecarSettings.from(XfaasConfig.of(Map.of("xfaas.sidecar.http-bind-address", "0.0.0.0")))
            .httpBindAddress();
    try (SidecarHttpServer http = SidecarHttpServer.start(bind, 0, sidecar)) {
      assertThat(http.address().getAddress().isAnyLocalAddress()).isTrue();
    }
  }
}
