package io.xfaas.scheduler.buffer;

/**
 * Sizes of a tenant's FuncBuffer (ready to go, including those parked because their function is
 * paced), its delayed set (waiting for notBefore), its calls in flight, the parked ones, and the
 * next arrival sequence number. Map state has no size, so it is kept.
 */
public record Counts(int buffered, int delayed, int inFlight, long seq, int paced) {
  public static final Counts EMPTY = new Counts(0, 0, 0, 0, 0);

  public Counts add(int buffered, int delayed, int inFlight) {
    return new Counts(
        this.buffered + buffered, this.delayed + delayed, this.inFlight + inFlight, seq, paced);
  }

  public Counts addPaced(int paced) {
    return new Counts(buffered, delayed, inFlight, seq, this.paced + paced);
  }

  public Counts nextSeq() {
    return new Counts(buffered, delayed, inFlight, seq + 1, paced);
  }

  public int waiting() {
    return buffered + delayed;
  }

  public boolean isEmpty() {
    return buffered == 0 && delayed == 0 && inFlight == 0;
  }
}
