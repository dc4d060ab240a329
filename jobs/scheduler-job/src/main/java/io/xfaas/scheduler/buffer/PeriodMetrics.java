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
 * happens in it. Checkpointed as operator state ({@link #snapshotBytes()}, {@link #restore}).
 *
 * <p>A snapshot is a base (every open period, as of some earlier snapshot) followed by what changed
 * since: the periods changed and the periods closed, in order, so a restore that reads it front to
 * back ends with the periods as they are. With a million tenants and one-minute periods, most open
 * periods do not change between two checkpoints; encoding and packing all of them at every
 * checkpoint was a third of the FuncBuffer thread. The base is rebuilt when what changed since
 * grows past half its size, or when most periods changed anyway.
 */
public final class PeriodMetrics {
  private static final Tally[] TALLIES = Tally.values();
  private static final int ENTRY = 1; // an open period
  private static final int PACKED = 2; // a count, then entries (earlier checkpoints)
  private static final int CLOSED = 3; // a tenant's period closed, without a next one
  private static final int LOG = 4; // entries, each with its length, to the end of the array
  private static final int MIN_REBUILD_BYTES = 64 * 1024;
  private final String region;
  private final long interval;
  private final Map<String, Period> open = new HashMap<>();
  // Changed since the last snapshot, in the order of their first change.
  private final List<Period> changed = new ArrayList<>();
  private Bytes.Writer base; // null: the next snapshot rebuilds it
  private Bytes.Writer since = new Bytes.Writer(256); // entries after the base

  /** One tenant's counts in its current period. */
  public final class Period {
    final String tenant;
    final long start;
    final long[] counts = new long[TALLIES.length];
    long[] delays = DelayHistogram.empty();
    long maxDelay;
    int waiting;

    /** This period as last encoded; null once it changed since. */
    private byte[] encoded;

    private boolean inChanged;
    private boolean over; // swept: no longer its tenant's open period

    Period(String tenant, long start) {
      this.tenant = tenant;
      this.start = start;
      changed();
    }

    private void changed() {
      encoded = null;
      if (!inChanged) {
        inChanged = true;
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

    private byte[] encoded() {
      if (encoded == null) encoded = encode(this);
      return encoded;
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
    List<Map.Entry<String, Period>> rolled = null;
    for (Iterator<Map.Entry<String, Period>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Period> e = it.next();
      Period p = e.getValue();
      while (p != null && p.start + interval <= now) {
        out.accept(record(e.getKey(), p));
        p.over = true;
        if (p.waiting > 0) {
          Period next = new Period(e.getKey(), p.start + interval);
          next.waiting = p.waiting;
          p = next;
        } else {
          p = null;
        }
      }
      if (p == null) {
        it.remove();
        appendClosed(e.getKey());
      } else if (p != e.getValue()) {
        if (rolled == null) rolled = new ArrayList<>();
        rolled.add(Map.entry(e.getKey(), p));
      }
    }
    if (rolled != null)
      for (Map.Entry<String, Period> e : rolled) open.put(e.getKey(), e.getValue());
    // Without snapshots (the simulator, a job without checkpoints) nothing would drain the changes.
    if (changed.size() > 2 * open.size() + 1024) forgetBase();
  }

  /** Drops the base and what was appended to it: the next snapshot takes a whole new base. */
  private void forgetBase() {
    for (Period p : changed) p.inChanged = false;
    changed.clear();
    base = null;
    since = new Bytes.Writer(256);
  }

  /** Periods changed since the last snapshot (bounded even when no snapshot is taken). */
  int pendingChanges() {
    return changed.size();
  }

  private SchedulingMetrics record(String tenant, Period p) {
    return new SchedulingMetrics(
        tenant,
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

  /**
   * The open periods for operator state, as one array: the base, then what changed since it. Only
   * the periods changed since the last snapshot are encoded.
   */
  public byte[] snapshotBytes() {
    if (base == null || changed.size() > open.size() / 2) {
      rebuildBase();
    } else {
      for (Period p : changed) {
        p.inChanged = false;
        if (!p.over) entry(since, p.encoded());
      }
      changed.clear();
      if (since.size() > Math.max(MIN_REBUILD_BYTES, base.size() / 2)) rebuildBase();
    }
    byte[] out = new byte[base.size() + since.size()];
    since.copyTo(out, base.copyTo(out, 0));
    return out;
  }

  private void rebuildBase() {
    forgetBase();
    Bytes.Writer w = new Bytes.Writer(base == null ? 256 : base.size() + since.size());
    w.put(LOG);
    for (Period p : open.values()) entry(w, p.encoded());
    base = w;
  }

  /** A period closed: restores that read an earlier entry of its tenant must drop it. */
  private void appendClosed(String tenant) {
    if (base == null) return; // the next snapshot is a whole new base
    entry(since, new Bytes.Writer(16).put(CLOSED).string(tenant).toArray());
  }

  private static void entry(Bytes.Writer w, byte[] entry) {
    w.varInt(entry.length).bytes(entry);
  }

  private static byte[] encode(Period p) {
    Bytes.Writer w = new Bytes.Writer(64).put(ENTRY).string(p.tenant).varLong(p.start);
    w.varInt(p.counts.length);
    for (long c : p.counts) w.varLong(c);
    w.varLong(p.maxDelay).varInt(p.waiting).varInt(p.delays.length);
    for (long d : p.delays) w.varLong(d);
    return w.toArray();
  }

  /**
   * Restores arrays of {@link #snapshotBytes()}, and the entries and packed arrays of earlier
   * versions, in any mix. Within an array, a later entry of a tenant replaces an earlier one.
   */
  public void restore(Iterable<byte[]> arrays) {
    for (byte[] bytes : arrays) {
      if (bytes.length == 0) continue;
      Bytes.Reader r = new Bytes.Reader(bytes);
      int layout = r.get();
      if (layout == LOG) {
        while (r.hasMore()) restoreEntry(r.bytes(r.varInt()));
      } else if (layout == PACKED) {
        for (int n = r.varInt(); n > 0; n--) restoreEntry(r.bytes(r.varInt()));
      } else {
        restoreEntry(bytes);
      }
    }
    base = null; // the next snapshot writes them all as its base
  }

  private void restoreEntry(byte[] bytes) {
    Bytes.Reader r = new Bytes.Reader(bytes);
    int layout = r.get();
    if (layout == CLOSED) {
      Period gone = open.remove(r.string());
      if (gone != null) gone.over = true;
      return;
    }
    if (layout != ENTRY) throw new IllegalStateException("unknown metrics period layout " + layout);
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
    p.encoded = bytes;
    Period replaced = open.put(tenant, p);
    if (replaced != null) replaced.over = true;
  }
}
