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
 * happens in it. Checkpointed as operator state ({@link #snapshot()}, {@link #restore}).
 */
public final class PeriodMetrics {
  private static final Tally[] TALLIES = Tally.values();
  private static final int PACKED = 2; // the layout byte of pack(); an entry's is 1
  private final String region;
  private final long interval;
  private final Map<String, Period> open = new HashMap<>();

  /** One tenant's counts in its current period. */
  public static final class Period {
    final long start;
    final long[] counts = new long[TALLIES.length];
    long[] delays = DelayHistogram.empty();
    long maxDelay;
    int waiting;

    /** This period as last checkpointed; null once it changed since. */
    private byte[] encoded;

    private boolean over; // swept: no longer its tenant's open period

    Period(long start) {
      this.start = start;
    }

    public void count(Tally t) {
      counts[t.ordinal()]++;
      encoded = null;
    }

    public void dispatchedAfter(long delayMs) {
      counts[Tally.DISPATCHED.ordinal()]++;
      maxDelay = Math.max(maxDelay, delayMs);
      delays = DelayHistogram.add(delays, delayMs);
      encoded = null;
    }

    /** Calls waiting as of the tenant's last event: the {@code buffered} of the record. */
    public void waiting(int n) {
      if (n != waiting) encoded = null;
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
      p = new Period(now - Math.floorMod(now, interval));
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
          Period next = new Period(p.start + interval);
          next.waiting = p.waiting;
          p = next;
        } else {
          p = null;
        }
      }
      if (p == null) {
        it.remove();
      } else if (p != e.getValue()) {
        if (rolled == null) rolled = new ArrayList<>();
        rolled.add(Map.entry(e.getKey(), p));
      }
    }
    if (rolled != null)
      for (Map.Entry<String, Period> e : rolled) open.put(e.getKey(), e.getValue());
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
   * One entry per open period, for operator list state. A period unchanged since the last
   * checkpoint is not encoded again: with a million tenants, most of them idle in a checkpoint
   * interval, encoding every period twice a second was a quarter of the FuncBuffer thread.
   */
  public List<byte[]> snapshot() {
    List<byte[]> out = new ArrayList<>(open.size());
    for (Map.Entry<String, Period> e : open.entrySet()) {
      Period p = e.getValue();
      if (p.encoded == null) p.encoded = encode(e.getKey(), p);
      out.add(p.encoded);
    }
    return out;
  }

  private static byte[] encode(String tenant, Period p) {
    Bytes.Writer w = new Bytes.Writer(64).put(1).string(tenant).varLong(p.start);
    w.varInt(p.counts.length);
    for (long c : p.counts) w.varLong(c);
    w.varLong(p.maxDelay).varInt(p.waiting).varInt(p.delays.length);
    for (long d : p.delays) w.varLong(d);
    return w.toArray();
  }

  /**
   * The entries of {@link #snapshot()} in one array, for the operator state: a list of one element
   * instead of one per tenant, which Flink would copy and write element by element at every
   * checkpoint. Layout 2: the version byte, the count, then each entry with its length.
   */
  public static byte[] pack(List<byte[]> entries) {
    int size = 6;
    for (byte[] e : entries) size += e.length + 5;
    Bytes.Writer w = new Bytes.Writer(size).put(PACKED).varInt(entries.size());
    for (byte[] e : entries) w.varInt(e.length).bytes(e);
    return w.toArray();
  }

  /** Restores entries of {@link #snapshot()} or arrays of {@link #pack}, in any mix. */
  public void restore(Iterable<byte[]> entries) {
    for (byte[] bytes : entries) {
      if (bytes.length > 0 && bytes[0] == PACKED) {
        Bytes.Reader r = new Bytes.Reader(bytes);
        r.get();
        List<byte[]> unpacked = new ArrayList<>();
        for (int n = r.varInt(); n > 0; n--) unpacked.add(r.bytes(r.varInt()));
        restore(unpacked);
      } else {
        restore(bytes);
      }
    }
  }

  private void restore(byte[] bytes) {
    Bytes.Reader r = new Bytes.Reader(bytes);
    if (r.get() != 1) throw new IllegalStateException("unknown metrics period layout");
    String tenant = r.string();
    Period p = new Period(r.varLong());
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
    open.put(tenant, p);
  }
}
