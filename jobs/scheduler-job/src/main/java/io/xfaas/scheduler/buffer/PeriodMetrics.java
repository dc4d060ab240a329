package io.xfaas.scheduler.buffer;

import io.xfaas.records.SchedulingMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The tenants' metrics periods of one scheduler subtask, on the heap: no state access and no timer
 * per tenant. Periods are aligned to the interval, so one sweep per boundary closes them all; a
 * tenant with work still waiting gets the next period at once, reported even if nothing else
 * happens in it. Checkpointed in keyed state, each under its tenant: {@link #drain} hands over what
 * changed since the last checkpoint (a period written, or a closed one deleted), so a checkpoint
 * costs what changed, not what is open; {@link #restore} takes a stored period back.
 */
public final class PeriodMetrics {
  private static final Tally[] TALLIES = Tally.values();
  private static final int LEGACY_PACKED = 2;
  private final String region;
  private final long interval;
  private final Map<String, Period> open = new HashMap<>();
  private final List<Period> changed = new ArrayList<>();
  private final List<String> closed = new ArrayList<>();

  /** Where {@link #drain} writes: a tenant's encoded period, or null to delete the stored one. */
  public interface Writer {
    void write(String tenant, byte[] period) throws Exception;
  }

  /** One tenant's counts in its current period. */
  public final class Period {
    final String tenant;
    final long start;
    final long[] counts = new long[TALLIES.length];
    long[] delays = DelayHistogram.empty();
    long maxDelay;
    int waiting;
    private boolean dirty; // changed since the last drain: in `changed`
    private boolean stored; // keyed state holds a period under its tenant
    private boolean over; // swept: no longer the tenant's open period

    Period(String tenant, long start) {
      this.tenant = tenant;
      this.start = start;
    }

    private void changed() {
      if (!dirty) {
        dirty = true;
        PeriodMetrics.this.changed.add(this);
      }
    }

    public void count(Tally t) {
      counts[t.ordinal()]++;
      changed();
    }

    public void dispatchedAfter(long delayMs) {
      counts[Tally.DISPATCHED.ordinal()]++;
      maxDelay = Math.max(maxDelay, delayMs);
      delays = DelayHistogram.add(delays, delayMs);
      changed();
    }

    /** Calls waiting as of the tenant's last event: the {@code buffered} of the record. */
    public void waiting(int n) {
      if (n != waiting) changed();
      waiting = n;
    }

    long get(Tally t) {
      return counts[t.ordinal()];
    }

    /** Still its tenant's open period: not swept since it was opened. */
    boolean isOpen() {
      return !over;
    }
  }

  public PeriodMetrics(String region, long interval) {
    this.region = region;
    this.interval = interval;
  }

  /** The tenant's open period; null when it has none. */
  public Period get(String tenant) {
    return open.get(tenant);
  }

  /** The tenant's open period, started (at the boundary before {@code now}) if it had none. */
  public Period open(String tenant, long now) {
    Period p = open.get(tenant);
    if (p == null) {
      p = new Period(tenant, now - Math.floorMod(now, interval));
      p.changed();
      open.put(tenant, p);
    }
    return p;
  }

  public boolean isEmpty() {
    return open.isEmpty();
  }

  /** The end of the earliest open period; null when none is open. */
  public Long nextBoundary() {
    long min = Long.MAX_VALUE;
    for (Period p : open.values()) min = Math.min(min, p.start + interval);
    return open.isEmpty() ? null : min;
  }

  /** Emits every period that ended by {@code now}; those with work waiting roll over. */
  public void sweep(long now, Consumer<SchedulingMetrics> out) {
    List<Period> rolled = null;
    for (Iterator<Map.Entry<String, Period>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Period> e = it.next();
      Period p = e.getValue();
      if (p.start + interval > now) continue;
      boolean stored = p.stored;
      while (p != null && p.start + interval <= now) {
        out.accept(record(p));
        p.over = true;
        Period next = null;
        if (p.waiting > 0) {
          next = new Period(p.tenant, p.start + interval);
          next.waiting = p.waiting;
          next.stored = stored; // the tenant's key still holds the one before
        }
        p = next;
      }
      if (p == null) {
        it.remove();
        if (stored) closed.add(e.getKey());
      } else {
        p.changed(); // overwrites the stored one at the next drain
        if (rolled == null) rolled = new ArrayList<>();
        rolled.add(p);
      }
    }
    if (rolled != null) for (Period p : rolled) open.put(p.tenant, p);
  }

  /**
   * Hands what changed since the last drain to {@code out}, for keyed state: before each checkpoint
   * barrier. A period opened and closed in between is not written at all.
   */
  public void drain(Writer out) throws Exception {
    for (String tenant : closed) {
      if (!open.containsKey(tenant)) out.write(tenant, null); // else its new period overwrites
    }
    closed.clear();
    for (Period p : changed) {
      p.dirty = false;
      if (p.over) continue;
      out.write(p.tenant, encode(p));
      p.stored = true;
    }
    changed.clear();
  }

  private SchedulingMetrics record(Period p) {
    return new SchedulingMetrics(
        p.tenant,
        region,
        p.start,
        p.start + interval,
        p.get(Tally.ARRIVED),
        p.get(Tally.DISPATCHED),
        p.get(Tally.THROTTLED),
        p.get(Tally.EXPIRED),
        p.get(Tally.REJECTED),
        p.get(Tally.CANCELLED),
        p.get(Tally.DUPLICATE),
        p.waiting,
        DelayHistogram.percentile(p.delays, 0.5),
        DelayHistogram.percentile(p.delays, 0.99),
        p.maxDelay,
        p.get(Tally.PACED),
        p.get(Tally.DEFERRED),
        p.get(Tally.RELEASED));
  }

  private static byte[] encode(Period p) {
    Bytes.Writer w = new Bytes.Writer(64).put(1).string(p.tenant).varLong(p.start);
    w.varInt(p.counts.length);
    for (long c : p.counts) w.varLong(c);
    w.varLong(p.maxDelay).varInt(p.waiting).varInt(p.delays.length);
    for (long d : p.delays) w.varLong(d);
    return w.toArray();
  }

  /** Takes back a period that {@link #drain} wrote, after a restore. */
  public void restore(byte[] bytes) {
    decode(bytes).stored = true; // nothing to write until it changes
  }

  /**
   * Takes back the periods of a checkpoint taken before they were keyed state (release 0.1.0
   * checkpointed them as operator state: one packed array per subtask, layout byte 2, or one entry
   * each); they are written under their tenants at the next flush.
   */
  public void restoreLegacy(Iterable<byte[]> entries) {
    for (byte[] bytes : entries) {
      if (bytes.length > 0 && bytes[0] == LEGACY_PACKED) {
        Bytes.Reader r = new Bytes.Reader(bytes);
        r.get();
        for (int n = r.varInt(); n > 0; n--) decode(r.bytes(r.varInt())).changed();
      } else {
        decode(bytes).changed();
      }
    }
  }

  private Period decode(byte[] bytes) {
    Bytes.Reader r = new Bytes.Reader(bytes);
    if (r.get() != 1) throw new IllegalStateException("unknown metrics period layout");
    String tenant = r.string();
    Period p = new Period(tenant, r.varLong());
    int n = r.varInt();
    for (int i = 0; i < n; i++) {
      long c = r.varLong();
      if (i < p.counts.length) p.counts[i] = c;
    }
    p.maxDelay = r.varLong();
    p.waiting = r.varInt();
    p.delays = new long[r.varInt()];
    for (int i = 0; i < p.delays.length; i++) p.delays[i] = r.varLong();
    open.put(tenant, p);
    return p;
  }
}
