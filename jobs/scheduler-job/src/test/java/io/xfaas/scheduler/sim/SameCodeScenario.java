package io.xfaas.scheduler.sim;

import io.xfaas.records.Criticality;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.FuncBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small what-if run for {@link SamePolicyCodeTest}: 100 calls of one tenant with a 2 s deadline,
 * well within its quota. Run in whatever class loader loaded this class, so with whatever policy
 * classes that loader has; the figures come back as text, which crosses loaders.
 */
public final class SameCodeScenario {
  private SameCodeScenario() {}

  public static String run() {
    TenantSettings quota = new TenantSettings("a", 1000, 100, 100, 1, 100_000, List.of(), null, 0);
    FuncBuffer.Settings buffer =
        new FuncBuffer.Settings("sim", 1_000_000, quota, 60_000, Duration.ofHours(1), 1000);
    List<SimCall> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(new SimCall("c" + i, i * 10L, "a", "f", Criticality.NORMAL, 2_000, 20));
    }
    SimResult r =
        PolicySimulator.run(
            new PolicySimulator.Setup(buffer, Map.of("a", quota), 0, 60_000, 1000), calls);
    TenantFigures a = r.tenant("a");
    return "dispatched=" + a.dispatched() + " expired=" + a.expired() + " rejected=" + a.rejected();
  }
}
