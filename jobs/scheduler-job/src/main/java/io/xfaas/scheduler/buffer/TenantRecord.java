package io.xfaas.scheduler.buffer;

/**
 * Everything hot about one tenant in one value: how many calls wait (ready, parked, delayed), how
 * many are in flight, the next arrival sequence number, the token bucket, the wake-up time and the
 * earliest notBefore and deadline held. Read once and written once per event, as {@link #encode()
 * bytes} with a leading version byte so that a later layout can read this one.
 *
 * <p>Mutable: the FuncBuffer loads it at the start of an event, changes it through named methods,
 * and stores it (or deletes it, when {@link #isEmpty()}) at the end.
 */
public final class TenantRecord {
  static final int VERSION = 1;
  private static final long NONE = Long.MIN_VALUE;

  private int ready; // in the ordered buffer, parked calls included
  private int parked;
  private int delayed;
  private int inFlight;
  private long seq;
  private boolean hasBucket;
  private double tokens;
  private long tokensAt;
  private long wakeAt = NONE;
  private long nextDelayedAt = NONE;
  private long nextDeadlineAt = NONE;
  // Not part of the record's bytes: the tenant's metrics period as of its last event, so that an
  // event of a tenant whose record is held on the heap finds it without a lookup by name.
  private PeriodMetrics.Period period;

  public static TenantRecord empty() {
    return new TenantRecord();
  }

  /** The metrics period last linked to this record, if it is still the tenant's open one. */
  PeriodMetrics.Period openPeriod() {
    return period != null && period.isOpen() ? period : null;
  }

  void linkPeriod(PeriodMetrics.Period p) {
    period = p;
  }

  /** Calls waiting in the buffer (parked ones included) or for their notBefore. */
  public int waiting() {
    return ready + delayed;
  }

  /** Calls in the ordered buffer, parked ones included. */
  public int buffered() {
    return ready;
  }

  /** Buffered calls not parked: the ones the buffer's order applies to. */
  public int unparked() {
    return ready - parked;
  }

  public int parked() {
    return parked;
  }

  public int delayed() {
    return delayed;
  }

  public int inFlight() {
    return inFlight;
  }

  /** The arrival sequence number for the next call that waits; then counts on. */
  public long takeSeq() {
    return seq++;
  }

  public void buffered(int delta) {
    ready += delta;
  }

  public void parked(int delta) {
    parked += delta;
  }

  public void delayed(int delta) {
    delayed += delta;
  }

  public void dispatched() {
    inFlight++;
  }

  /** A call in flight finished: its concurrency slot is free. */
  public void slotFreed() {
    inFlight = Math.max(0, inFlight - 1);
  }

  /** The token bucket; null when there is none (the same as a full one). */
  public TokenBucket bucket() {
    return hasBucket ? new TokenBucket(tokens, tokensAt) : null;
  }

  public void bucket(TokenBucket b) {
    hasBucket = b != null;
    tokens = b == null ? 0 : b.tokens();
    tokensAt = b == null ? 0 : b.updatedAt();
  }

  public Long wakeAt() {
    return wakeAt == NONE ? null : wakeAt;
  }

  public void wakeAt(Long at) {
    wakeAt = at == null ? NONE : at;
  }

  public Long nextDelayedAt() {
    return nextDelayedAt == NONE ? null : nextDelayedAt;
  }

  public void nextDelayedAt(Long at) {
    nextDelayedAt = at == null ? NONE : at;
  }

  public Long nextDeadlineAt() {
    return nextDeadlineAt == NONE ? null : nextDeadlineAt;
  }

  public void nextDeadlineAt(Long at) {
    nextDeadlineAt = at == null ? NONE : at;
  }

  /** Nothing waits, nothing is in flight, the bucket is full and no wake-up is set: forget it. */
  public boolean isEmpty() {
    return ready == 0 && delayed == 0 && inFlight == 0 && !hasBucket && wakeAt == NONE;
  }

  /** With nothing waiting, sequence numbers can start again and the next-times are void. */
  public void resetIfIdle() {
    if (waiting() == 0) {
      seq = 0;
      nextDelayedAt = NONE;
      nextDeadlineAt = NONE;
    }
  }

  public byte[] encode() {
    Bytes.Writer w = new Bytes.Writer(48).put(VERSION);
    int flags =
        (hasBucket ? 1 : 0)
            | (wakeAt != NONE ? 2 : 0)
            | (nextDelayedAt != NONE ? 4 : 0)
            | (nextDeadlineAt != NONE ? 8 : 0);
    w.put(flags).varInt(ready).varInt(parked).varInt(delayed).varInt(inFlight).varLong(seq);
    if (hasBucket) w.fixedLong(Double.doubleToRawLongBits(tokens)).varLong(tokensAt);
    if (wakeAt != NONE) w.varLong(wakeAt);
    if (nextDelayedAt != NONE) w.varLong(nextDelayedAt);
    if (nextDeadlineAt != NONE) w.varLong(nextDeadlineAt);
    return w.toArray();
  }

  public static TenantRecord decode(byte[] bytes) {
    TenantRecord t = new TenantRecord();
    if (bytes == null) return t;
    Bytes.Reader r = new Bytes.Reader(bytes);
    int version = r.get();
    if (version != VERSION) throw new IllegalStateException("unknown tenant layout " + version);
    int flags = r.get();
    t.ready = r.varInt();
    t.parked = r.varInt();
    t.delayed = r.varInt();
    t.inFlight = r.varInt();
    t.seq = r.varLong();
    if ((flags & 1) != 0) {
      t.hasBucket = true;
      t.tokens = Double.longBitsToDouble(r.fixedLong());
      t.tokensAt = r.varLong();
    }
    if ((flags & 2) != 0) t.wakeAt = r.varLong();
    if ((flags & 4) != 0) t.nextDelayedAt = r.varLong();
    if ((flags & 8) != 0) t.nextDeadlineAt = r.varLong();
    return t;
  }
}
