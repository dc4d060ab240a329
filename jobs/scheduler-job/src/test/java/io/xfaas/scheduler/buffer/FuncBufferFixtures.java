package io.xfaas.scheduler.buffer;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.operators.FuncBufferFunction;
import io.xfaas.scheduler.operators.FuncBufferOperator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * What the FuncBuffer's tests and hand-run benchmarks build their calls, results, settings and
 * harnesses from: the rules on the heap ({@code FuncBufferTest}) and on RocksDB ({@code
 * FuncBufferFunctionTest}) are checked with the same calls.
 */
public final class FuncBufferFixtures {
  public static final long T0 = 1_800_000_000_000L; // a whole minute: metrics periods align
  public static final long METRICS_PERIOD = 60_000;
  public static final String TENANT = "acme";

  private FuncBufferFixtures() {}

  /** {@link #TENANT}'s settings: weight 1, no functions of its own, no default deadline. */
  public static TenantSettings quota(double rate, int burst, int concurrency, int bound) {
    return new TenantSettings(TENANT, rate, burst, concurrency, 1, bound, List.of(), null, 0);
  }

  /** Region "local", capacity 1,000,000/s, dedup for a day, a minute's metrics periods. */
  public static FuncBuffer.Settings bufferSettings(TenantSettings unknownTenant) {
    return bufferSettings(1_000_000, unknownTenant);
  }

  public static FuncBuffer.Settings bufferSettings(double capacity, TenantSettings unknownTenant) {
    return new FuncBuffer.Settings(
        "local", capacity, unknownTenant, METRICS_PERIOD, Duration.ofHours(24), 1000);
  }

  /** A NORMAL call of {@link #TENANT} to echo, submitted just before {@link #T0}. */
  public static Invocation call(String id) {
    return call(id, Criticality.NORMAL, null, 0, null);
  }

  public static Invocation call(
      String id, Criticality c, Long deadline, int priority, Long notBefore) {
    return invocation(id, TENANT, "echo", c, priority, T0 - 10, notBefore, deadline, null);
  }

  public static Invocation call(String id, String function, Criticality c, Long deadline) {
    return invocation(id, TENANT, function, c, 0, T0 - 10, null, deadline, null);
  }

  /** A first attempt of three. */
  public static Invocation invocation(
      String id,
      String tenant,
      String function,
      Criticality c,
      int priority,
      long submittedAt,
      Long notBefore,
      Long deadline,
      String payload) {
    return new Invocation(
        id,
        tenant,
        function,
        c,
        priority,
        submittedAt,
        notBefore,
        deadline,
        1,
        3,
        payload,
        Map.of(),
        null,
        Map.of());
  }

  /**
   * The success of {@code tenant}'s call {@code id} to echo, submitted, run and ended at {@code
   * at}.
   */
  public static Outcome succeeded(String id, String tenant, Criticality c, long at) {
    return new Outcome(
        id,
        tenant,
        "echo",
        c,
        OutcomeStatus.SUCCEEDED,
        null,
        null,
        1,
        at,
        at,
        at,
        at,
        "local",
        null);
  }

  /** Tenants' records the harness's FuncBuffer holds between checkpoints, as the job's default. */
  public static final int RECORD_CACHE = 100_000;

  /**
   * The FuncBuffer's operator under Flink's keyed broadcast harness: one subtask, max parallelism
   * 128. Take snapshots with {@link #snapshot}: the harness's own does not call the operator's
   * {@code prepareSnapshotPreBarrier}, which writes the cached tenant records to keyed state.
   */
  public static KeyedBroadcastOperatorTestHarness<String, TenantEvent, ControlEvent, Invocation>
      harness(FuncBuffer.Settings settings) throws Exception {
    return new KeyedBroadcastOperatorTestHarness<>(
        new FuncBufferOperator(new FuncBufferFunction(settings, RECORD_CACHE)),
        TenantEvent::tenant,
        Types.STRING,
        128,
        1,
        0);
  }

  /** A snapshot as a task takes it: the operator's pre-barrier work first. */
  public static OperatorSubtaskState snapshot(
      AbstractStreamOperatorTestHarness<?> h, long checkpointId, long timestamp) throws Exception {
    h.prepareSnapshotPreBarrier(checkpointId);
    return h.snapshot(checkpointId, timestamp);
  }
}
