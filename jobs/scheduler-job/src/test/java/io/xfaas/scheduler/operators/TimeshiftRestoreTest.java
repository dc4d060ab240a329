package io.xfaas.scheduler.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.records.SchedulingDecision;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.ControlEvent;
import io.xfaas.scheduler.buffer.FuncBuffer;
import io.xfaas.scheduler.buffer.FuncBufferFixtures;
import io.xfaas.scheduler.buffer.TenantEvent;
import io.xfaas.scheduler.pacing.PacingSettings;
import io.xfaas.scheduler.pacing.UtilizationSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The level-seeking controller across a restart, under Flink's operator harness on RocksDB with a
 * clock the test sets: a "day" of 4 s in 4 slots, learned in the first cycle; DEFERRABLE calls held
 * at the second cycle's peak; a snapshot there and a restore. The held calls stay held through the
 * next cycle's shallow trough and go in its deep ones, none lost, none before: the demand profile
 * and the held count are operator state, the held calls keyed state.
 */
class TimeshiftRestoreTest {
  private static final long CYCLE = 4000;
  private static final long T0 = 1_800_000_000_000L; // a multiple of the cycle
  private static final String TENANT = "acme";
  private static final int[] DAY = {10, 2, 6, 22}; // NORMAL calls per slot (1 s)

  private KeyedBroadcastOperatorTestHarness<String, TenantEvent, ControlEvent, Invocation> h;
  private final List<String> dispatched = new ArrayList<>();
  private final List<SchedulingDecision> decisions = new ArrayList<>();
  private int seq;

  private void open(OperatorSubtaskState snapshot) throws Exception {
    if (h != null) {
      collect();
      h.close();
    }
    TenantSettings quota =
        new TenantSettings(TENANT, 1000, 1000, 1000, 1, 1000, List.of(), null, 0);
    var fn =
        new FuncBufferFunction(
            new FuncBuffer.Settings(
                "local",
                1_000_000,
                quota,
                60_000,
                Duration.ofHours(24),
                1000,
                PacingSettings.defaults(),
                UtilizationSettings.defaults(1_000_000, UtilizationSettings.Mode.LEVEL, CYCLE, 4),
                1000),
            FuncBufferFixtures.RECORD_CACHE);
    h =
        new KeyedBroadcastOperatorTestHarness<>(
            new FuncBufferOperator(fn), TenantEvent::tenant, Types.STRING, 128, 1, 0);
    h.setStateBackend(new EmbeddedRocksDBStateBackend());
    h.setup();
    if (snapshot != null) h.initializeState(snapshot);
    h.open();
  }

  @AfterEach
  void close() throws Exception {
    if (h != null) h.close();
  }

  /** Moves what the harness output so far into the lists (a restore starts a new harness). */
  private void collect() {
    h.extractOutputValues().forEach(i -> dispatched.add(i.id()));
    h.getOutput().clear();
    var d = h.getSideOutput(FuncBufferFunction.DECISIONS);
    if (d != null) {
      d.stream().map(StreamRecord::getValue).forEach(decisions::add);
      d.clear();
    }
  }

  private void send(Criticality c, long at) throws Exception {
    send(TENANT, c, at);
  }

  private String send(String tenant, Criticality c, long at) throws Exception {
    h.setProcessingTime(at);
    String id = (c == Criticality.DEFERRABLE ? "d" : c == Criticality.CRITICAL ? "c" : "n") + seq++;
    Long deadline = c == Criticality.DEFERRABLE ? T0 + 60_000 : null;
    h.processElement(
        TenantEvent.invocation(
            new Invocation(
                id, tenant, "f", c, 0, at, null, deadline, 1, 3, null, Map.of(), null, Map.of())),
        at);
    return id;
  }

  /** {@code normal} NORMAL calls (and {@code deferrable} DEFERRABLE ones among them) in a slot. */
  private void slot(long start, int normal, int deferrable) throws Exception {
    int n = normal + deferrable;
    for (int k = 0; k < n; k++) {
      boolean d = deferrable > 0 && k % (n / deferrable) == 1 && countD(start) < deferrable;
      send(d ? Criticality.DEFERRABLE : Criticality.NORMAL, start + k * 1000L / n);
    }
  }

  private int dsInSlot;
  private long dsSlot = -1;

  private int countD(long slot) {
    if (slot != dsSlot) {
      dsSlot = slot;
      dsInSlot = 0;
    }
    return dsInSlot++;
  }

  private List<String> deferrableDispatched() {
    collect();
    return dispatched.stream().filter(id -> id.startsWith("d")).toList();
  }

  @Test
  void heldCallsSurviveARestartAndGoIntoTheDeepTroughsNotBefore() throws Exception {
    open(null);
    // Cycle 1: the day is learned.
    for (int i = 0; i < 4; i++) slot(T0 + i * 1000L, DAY[i], 0);
    // Cycle 2: the same day, with 8 DEFERRABLE calls at the peak.
    long c2 = T0 + CYCLE;
    for (int i = 0; i < 3; i++) slot(c2 + i * 1000L, DAY[i], 0);
    slot(c2 + 3000, DAY[3], 8);
    h.setProcessingTime(c2 + 3999);
    List<String> atPeak = deferrableDispatched();
    assertThat(atPeak).as("DEFERRABLE dispatched at the peak").hasSizeLessThanOrEqualTo(1);
    assertThat(decisions)
        .filteredOn(d -> d.decision() == SchedulingDecision.Decision.DEFERRED)
        .extracting(d -> d.reason().name())
        .contains("ABOVE_LEVEL");

    // A checkpoint at the peak, and a restart from it.
    OperatorSubtaskState snapshot = FuncBufferFixtures.snapshot(h, 1, c2 + 3999);
    open(snapshot);

    // Cycle 3: the shallow trough (slot 0, at the level) goes by with nothing released...
    long c3 = T0 + 2 * CYCLE;
    slot(c3, DAY[0], 0);
    h.setProcessingTime(c3 + 999);
    assertThat(deferrableDispatched()).as("released before the deepest trough").isEqualTo(atPeak);
    // The first load report after the restore (which the dashboard and the benchmark read, at the
    // end of the first event a second on) counts the restored held calls not yet released.
    send(Criticality.NORMAL, c3 + 1000);
    var load = h.getSideOutput(FuncBufferFunction.LOAD);
    assertThat(load).as("a load report after the restore").isNotEmpty();
    long stillHeld = 8 - deferrableDispatched().size();
    assertThat(stillHeld).isPositive();
    assertThat(load.peek().getValue().backlogDeferrable()).isEqualTo(stillHeld);
    // ...and the deepest ones (slots 1 and 2, looked at about once a second) take them all.
    send(Criticality.NORMAL, c3 + 1500); // the rest of slot 1
    slot(c3 + 2000, DAY[2], 0);
    h.setProcessingTime(c3 + 2999);
    assertThat(deferrableDispatched()).as("released in the troughs").hasSizeGreaterThanOrEqualTo(6);
    assertThat(decisions)
        .filteredOn(
            d -> d.decision() == SchedulingDecision.Decision.RELEASED && d.id().startsWith("d"))
        .isNotEmpty()
        .allMatch(d -> d.reason().name().equals("SPARE_CAPACITY"));
    // Whatever is left goes by its latest start at the latest (deadline - margin): none lost.
    h.setProcessingTime(T0 + 60_000 - 5000);
    assertThat(deferrableDispatched()).as("every held call").hasSize(8);
    assertThat(h.getSideOutput(ParseInvocations.OUTCOMES)).as("none expired").isNullOrEmpty();
  }

  @Test
  void aTenantsCriticalCallsDoNotWaitBehindItsOwnHeldWork() throws Exception {
    open(null);
    // A small tenant: one call every 10 s, a bucket of one.
    h.processBroadcastElement(
        ControlEvent.config(
            new io.xfaas.scheduler.buffer.TenantConfigUpdate(
                "small", new TenantSettings("small", 0.1, 1, 1000, 1, 1000, List.of(), null, 0))),
        T0);
    for (int i = 0; i < 4; i++) slot(T0 + i * 1000L, DAY[i], 0);
    long c2 = T0 + CYCLE;
    for (int i = 0; i < 3; i++) slot(c2 + i * 1000L, DAY[i], 0);
    // At the peak the small tenant's eight DEFERRABLE calls are held.
    long peak = c2 + 3000;
    for (int k = 0; k < DAY[3]; k++) send(Criticality.NORMAL, peak + k * 1000L / DAY[3]);
    List<String> held = new ArrayList<>();
    for (int k = 0; k < 8; k++) held.add(send("small", Criticality.DEFERRABLE, peak + 960 + k));
    collect();
    assertThat(dispatched).doesNotContainAnyElementsOf(held);
    // The troughs release them (the level paces them, not the tenant's bucket), and a CRITICAL call
    // right after still finds the tenant's one token: it goes at once. Were the releases charged to
    // the bucket, the first would take the token and the CRITICAL call would wait 10 s for the
    // next.
    long c3 = T0 + 2 * CYCLE;
    for (int i = 0; i < 4; i++) slot(c3 + i * 1000L, DAY[i], 0);
    long c4 = c3 + CYCLE;
    for (int i = 0; i < 3; i++) slot(c4 + i * 1000L, DAY[i], 0);
    h.setProcessingTime(c4 + 2999);
    collect();
    assertThat(dispatched.stream().filter(held::contains).count()).isPositive();
    String critical = send("small", Criticality.CRITICAL, c4 + 2999);
    collect();
    assertThat(dispatched).contains(critical);
  }
}
