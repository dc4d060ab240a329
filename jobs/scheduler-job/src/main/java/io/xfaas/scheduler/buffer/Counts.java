package io.xfaas.scheduler.buffer;

/**
 * Sizes of a tenant's FuncBuffer (ready to go), its delayed set (waiting for notBefore) and its
 * calls in flight, and the next arrival sequence number. Map state has no size, so it is kept.
 */
public record Counts(int buffered, int delayed, int inFlight, long seq) {
  public static final Counts EMPTY = new Counts(0, 0, 0, 0);

  public Counts add(int buffered, int delayed, int inFlight) {
    return new Counts(
        this.buffered + buffered, this.delayed + delayed, this.inFlight + inFlight, seq);
  }

  public Counts nextSeq() {
    return new Counts(buffered, delayed, inFlight, seq + 1);
  }

  public int waiting() {
    return buffered + delayed;
  }

  public boolean isEmpty() {
    return buffered == 0 && delayed == 0 && inFlight == 0;
  }
}
