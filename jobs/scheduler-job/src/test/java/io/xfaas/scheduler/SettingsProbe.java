package io.xfaas.scheduler;

import static org.awaitility.Awaitility.await;

import io.xfaas.records.ReasonCode;
import io.xfaas.records.TenantSettings;
import io.xfaas.serde.Json;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import io.xfaas.testing.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells when the tenant settings a test wrote are in force in the scheduler job: written last, on
 * the config topic's one partition, the probe tenant is allowed no function that exists, so once a
 * probe call is rejected for its function every tenant's settings before it are in force. (A probe
 * that overtakes the settings is dispatched instead, so it probes again until one is rejected.)
 */
public final class SettingsProbe {
  /** The probe tenant: write it after the others. */
  public static final TenantSettings TENANT =
      new TenantSettings("probe", 10, 10, 10, 1, 10, List.of("nothing"), null, 0);

  private SettingsProbe() {}

  /** Probes until one is rejected for its function; the reasons of the probes' outcomes. */
  public static List<ReasonCode> awaitInForce(SubmitterClient client, TopicReader outcomes) {
    List<ReasonCode> reasons = new ArrayList<>();
    int[] probes = {0};
    await("the tenant settings to be in force")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              client
                  .submit(
                      InvocationBuilder.call(TENANT.tenant(), "echo")
                          .id("probe-" + probes[0]++)
                          .build())
                  .get();
              outcomes.poll(r -> reasons.add(Json.readOutcome(r.value()).reason()));
              return reasons.contains(ReasonCode.UNKNOWN_FUNCTION);
            });
    return reasons;
  }
}
