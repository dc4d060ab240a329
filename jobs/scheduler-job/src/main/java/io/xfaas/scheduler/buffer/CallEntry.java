package io.xfaas.scheduler.buffer;

import java.util.Arrays;

/**
 * What a tenant's FuncBuffer remembers of one id, in one map entry kept for the dedup window: the
 * latest attempt seen, and whether that attempt waits (with where), is in flight, or is done. A
 * dispatch and a result each touch this one entry; there is no separate in-flight map or id index.
 *
 * @param status what became of the attempt
 * @param attempt the latest attempt seen (0 for an id cancelled before it arrived)
 * @param where for a waiting call: the queue it waits in and its key there ({@link Locator})
 */
public record CallEntry(Status status, int attempt, byte[] where) {
  public enum Status {
    /** Dispatched, finished, expired, rejected or cancelled: remembered to drop duplicates. */
    DONE,
    /** Dispatched and holding one of its tenant's concurrency slots until its result. */
    IN_FLIGHT,
    /** In the tenant's buffer, delayed set or parked calls; {@code where} says which. */
    WAITING,
    /** A cancel came before the call: it is cancelled when it arrives. */
    CANCELLED_EARLY
  }

  private static final Status[] STATUSES = Status.values();

  public static CallEntry done(int attempt) {
    return new CallEntry(Status.DONE, attempt, null);
  }

  /**
   * A terminal result came back: the call is over, and no later attempt of it runs (a sidecar that
   * re-ran an earlier attempt may have finished it while a retry was on its way).
   */
  public static CallEntry finished() {
    return new CallEntry(Status.DONE, Integer.MAX_VALUE, null);
  }

  public static CallEntry inFlight(int attempt) {
    return new CallEntry(Status.IN_FLIGHT, attempt, null);
  }

  public static CallEntry waiting(int attempt, byte[] where) {
    return new CallEntry(Status.WAITING, attempt, where);
  }

  public static CallEntry cancelledEarly() {
    return new CallEntry(Status.CANCELLED_EARLY, 0, null);
  }

  public boolean is(Status s) {
    return status == s;
  }

  /** Status byte, attempt as a varint, then the locator of a waiting call. */
  public byte[] encode() {
    Bytes.Writer w = new Bytes.Writer(where == null ? 4 : 4 + where.length);
    w.put(status.ordinal()).varInt(attempt);
    if (where != null) w.bytes(where);
    return w.toArray();
  }

  public static CallEntry decode(byte[] bytes) {
    if (bytes == null) return null;
    Bytes.Reader r = new Bytes.Reader(bytes);
    Status s = STATUSES[r.get()];
    int attempt = r.varInt();
    return new CallEntry(s, attempt, r.hasMore() ? r.rest() : null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CallEntry c
        && c.status == status
        && c.attempt == attempt
        && Arrays.equals(c.where, where);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * status.hashCode() + attempt) + Arrays.hashCode(where);
  }
}
