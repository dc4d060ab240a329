package io.xfaas.scheduler.buffer;

import io.xfaas.records.Criticality;
import io.xfaas.records.DecisionReason;
import io.xfaas.records.Invocation;
import io.xfaas.scheduler.buffer.TenantQueue.Place;
import io.xfaas.scheduler.pacing.FunctionPacer;
import io.xfaas.scheduler.pacing.UtilizationController;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decides which of a tenant's waiting calls go now, which are parked behind their function's pace,
 * and, for held DEFERRABLE work, until when it waits. It reads the queue and changes nothing in it
 * (the {@link FuncBuffer} applies the plan); it takes the pacer's and the utilization controller's
 * tokens for the calls it lets go.
 */
public final class DispatchPlanner {
  /** Most parked or passed-over calls one plan looks at; the rest wait for the next. */
  static final int SCAN_LIMIT = 256;

  private final FunctionPacer pacer;
  private final UtilizationController utilization;
  private final SubtaskLoad load;

  /** One call to dispatch; {@code byDeadline} when it goes because its latest start came. */
  public record Pick(Place from, byte[] key, Invocation inv, boolean byDeadline) {}

  /**
   * @param go the calls to dispatch, parked ones first
   * @param park ready calls whose function is out of pace
   * @param heldUntil when held DEFERRABLE work may next go (its latest start, the next drain slot,
   *     or when the level next has room); null when none is held, or it has no deadline and the
   *     level does not govern
   * @param scanLimited whether the plan stopped at {@link #SCAN_LIMIT}
   * @param held why DEFERRABLE work is held; null when it is not
   */
  public record Plan(
      List<Pick> go,
      List<Map.Entry<byte[], Invocation>> park,
      Long heldUntil,
      boolean scanLimited,
      DecisionReason held) {
    public static final Plan NONE = new Plan(List.of(), List.of(), null, false, null);
  }

  public DispatchPlanner(FunctionPacer pacer, UtilizationController utilization, SubtaskLoad load) {
    this.pacer = pacer;
    this.utilization = utilization;
    this.load = load;
  }

  public Plan plan(TenantRecord r, Quota quota, TenantQueue queue, long now) {
    int concurrencyRoom = Math.min(r.buffered(), quota.concurrencyRoom());
    int room = Math.min(concurrencyRoom, quota.tokens());
    if (concurrencyRoom <= 0) return Plan.NONE;
    List<Pick> go = new ArrayList<>(Math.max(0, room));
    List<Map.Entry<byte[], Invocation>> park = new ArrayList<>();
    boolean scanLimited = false;
    Long heldUntil = null;
    DecisionReason held = null;
    if (room > 0 && r.parked() > 0) {
      int looked = 0;
      for (Iterator<Map.Entry<byte[], Invocation>> it = queue.iterator(Place.PARKED);
          it.hasNext() && go.size() < room; ) {
        if (++looked > SCAN_LIMIT) {
          scanLimited = true;
          break;
        }
        Map.Entry<byte[], Invocation> e = it.next();
        if (pacer.tryAcquire(e.getValue().function(), now)) {
          go.add(new Pick(Place.PARKED, e.getKey(), e.getValue(), false));
        }
      }
    }
    // A held DEFERRABLE call whose latest start has come goes even without a token (the tenant
    // owes it: the bucket goes negative) so that fair share cannot make it miss its deadline;
    // never beyond the tenant's concurrency.
    int passed = 0;
    if (go.size() < concurrencyRoom && r.unparked() > 0) {
      for (Iterator<Map.Entry<byte[], Invocation>> it = queue.iterator(Place.READY);
          it.hasNext() && go.size() < concurrencyRoom; ) {
        if (park.size() >= SCAN_LIMIT || passed >= SCAN_LIMIT) {
          scanLimited = true;
          break;
        }
        Map.Entry<byte[], Invocation> e = it.next();
        Invocation inv = e.getValue();
        boolean deferrable = inv.criticality() == Criticality.DEFERRABLE;
        boolean due = deferrable && inv.deadline() != null && latestStart(inv, now) <= now;
        // The level controller paces DEFERRABLE work for the whole region: it takes none of the
        // tenant's tokens, which stay for its CRITICAL and NORMAL calls.
        boolean levelPaced = levelPaced(inv, utilization);
        if (go.size() >= room && !due && !levelPaced) {
          // Out of tokens: only calls due by their deadline may still go.
          if (deferrable) break; // the rest sort by deadline: none of them is due
          passed++;
          continue;
        }
        if (due) {
          if (!utilization.tryDrainDue(inv.function(), now, load.nonDeferrableRate())) {
            // Due calls leave at the drain rate; the rest sort after them by deadline.
            heldUntil = utilization.nextDrainAt(inv.function(), now, load.nonDeferrableRate());
            held = heldReason();
            break;
          }
        } else if (deferrable && !utilization.trySpareSlot(inv.function(), now)) {
          // DEFERRABLE calls sort last, by deadline: the rest are held too.
          heldUntil = inv.deadline() == null ? null : latestStart(inv, now);
          // Held above the level: look again when the level has room.
          heldUntil = WakePolicy.earliest(heldUntil, utilization.nextSpareAt(inv.function(), now));
          held = heldReason();
          break;
        }
        if (!pacer.tryAcquire(inv.function(), now)) {
          park.add(e);
          continue;
        }
        go.add(new Pick(Place.READY, e.getKey(), inv, due));
      }
    }
    return new Plan(go, park, heldUntil, scanLimited, held);
  }

  /** Whether {@code inv} is paced by the level controller rather than its tenant's tokens. */
  static boolean levelPaced(Invocation inv, UtilizationController utilization) {
    return inv.criticality() == Criticality.DEFERRABLE && utilization.levelActive();
  }

  private DecisionReason heldReason() {
    return utilization.holdReason();
  }

  /**
   * Deadline − run time − margin − the time to run the DEFERRABLE calls held with it − the wait its
   * function's calls see queued at the sidecars.
   */
  public long latestStart(Invocation inv, long now) {
    return utilization.latestStart(
        inv.function(),
        inv.deadline(),
        load.waiting(Criticality.DEFERRABLE),
        now,
        load.nonDeferrableRate());
  }
}
