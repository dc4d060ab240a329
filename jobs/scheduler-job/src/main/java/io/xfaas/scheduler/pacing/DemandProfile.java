package io.xfaas.scheduler.pacing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The demand a scheduler subtask saw at each time of the cycle (a day, or a compressed day in a
 * replay): the cycle is cut into {@code slots} equal slots, and each slot keeps the calls that
 * arrived in it, all and DEFERRABLE, smoothed over the cycles seen ({@link #SMOOTHING} for the
 * newest). The forecast for a time is its slot's value from earlier cycles; the level is the
 * cycle's mean rate, known once every slot has been seen once.
 *
 * <p>Plain data with a byte form ({@link #toBytes}, {@link #fromBytes}): the scheduler checkpoints
 * it, so a restart keeps what was learned.
 */
public final class DemandProfile {
  /** Weight of the newest cycle in a slot's value. */
  static final double SMOOTHING = 0.5;

  private static final int FORMAT = 1;

  private final long cycleMs;
  private final int slots;
  private final double[] calls; // per slot, smoothed over cycles
  private final double[] deferrable;
  private final boolean[] seen;
  private int seenCount;
  private long currentSlot = Long.MIN_VALUE; // absolute slot number being counted
  private long currentCalls;
  private long currentDeferrable;
  // Restored from a checkpoint: the time since it was taken was not watched (the job was down).
  private boolean resumed;

  public DemandProfile(long cycleMs, int slots) {
    if (cycleMs < 1 || slots < 1) throw new IllegalArgumentException("cycle and slots >= 1");
    this.cycleMs = cycleMs;
    this.slots = slots;
    calls = new double[slots];
    deferrable = new double[slots];
    seen = new boolean[slots];
  }

  public long cycleMs() {
    return cycleMs;
  }

  public int slots() {
    return slots;
  }

  /** A slot's length in ms (fractional when the cycle does not divide evenly). */
  public double slotMs() {
    return (double) cycleMs / slots;
  }

  /** Counts one arrival at {@code now}. */
  public void arrived(long now, boolean isDeferrable) {
    advance(now);
    currentCalls++;
    if (isDeferrable) currentDeferrable++;
  }

  /**
   * Closes the slots that ended by {@code now} (a slot without arrivals closes with 0). Called on
   * every arrival; call it on a quiet clock too, so that an idle slot counts as idle.
   */
  public void advance(long now) {
    long slot = absoluteSlot(now);
    if (currentSlot == Long.MIN_VALUE) {
      currentSlot = slot;
      return;
    }
    if (slot <= currentSlot) return;
    if (resumed) {
      resumed = false;
      if (slot > currentSlot + 1) {
        // Back after a stop longer than a slot: the checkpoint's slot was seen only in part and the
        // slots since not at all (their calls waited in the DurableQ and arrive now, as a burst).
        // They keep what earlier cycles taught, or stay unseen: a downtime is not a quiet time.
        currentSlot = slot;
        currentCalls = 0;
        currentDeferrable = 0;
        return;
      }
    }
    close(currentSlot, currentCalls, currentDeferrable);
    long gap = Math.min(slot - currentSlot - 1, slots);
    for (long s = slot - gap; s < slot; s++) close(s, 0, 0);
    currentSlot = slot;
    currentCalls = 0;
    currentDeferrable = 0;
  }

  private void close(long absolute, long n, long d) {
    int i = index(absolute);
    if (seen[i]) {
      calls[i] = SMOOTHING * n + (1 - SMOOTHING) * calls[i];
      deferrable[i] = SMOOTHING * d + (1 - SMOOTHING) * deferrable[i];
    } else {
      calls[i] = n;
      deferrable[i] = d;
      seen[i] = true;
      seenCount++;
    }
  }

  /** Whether every slot of the cycle has been seen: the level and forecasts are known. */
  public boolean complete() {
    return seenCount == slots;
  }

  /** The cycle's mean arrival rate, calls/s; NaN until {@link #complete()}. */
  public double levelPerSecond() {
    if (!complete()) return Double.NaN;
    double sum = 0;
    for (double c : calls) sum += c;
    return sum * 1000.0 / cycleMs;
  }

  /** The arrival rate expected at {@code at} (its slot in earlier cycles), calls/s; NaN unseen. */
  public double forecastPerSecond(long at) {
    int i = index(absoluteSlot(at));
    return seen[i] ? calls[i] * 1000.0 / slotMs() : Double.NaN;
  }

  /**
   * The rate up to which held work is released so that it fills the deepest troughs first: over the
   * slots from {@code now} to {@code now + horizonMs} (at most a cycle), the water level {@code W
   * <= level} at which the trough volume below W, {@code Σ max(0, W − forecast)}, holds the work
   * held now ({@code held} calls) plus the DEFERRABLE work the forecast expects above W in that
   * time (which is held in its turn). Releasing only below W leaves no shallow trough filled while
   * a deeper one stays empty. The level itself when the troughs cannot hold it all (the rest goes
   * by its deadlines); NaN until {@link #complete()}.
   */
  public double fillLevelPerSecond(long now, long horizonMs, long held) {
    double level = levelPerSecond();
    if (Double.isNaN(level)) return level;
    int n = (int) Math.max(1, Math.min(slots, Math.ceil(Math.min(horizonMs, cycleMs) / slotMs())));
    double slotSeconds = slotMs() / 1000.0;
    double[] all = new double[n]; // calls/s expected in each slot ahead
    double[] tolerant = new double[n]; // of which DEFERRABLE
    long first = absoluteSlot(now);
    double lo = Double.MAX_VALUE;
    for (int k = 0; k < n; k++) {
      int i = index(first + k);
      all[k] = calls[i] / slotSeconds;
      tolerant[k] = deferrable[i] / slotSeconds;
      lo = Math.min(lo, all[k]);
    }
    if (lo >= level || room(level, all, tolerant, held, slotSeconds) <= 0) return level;
    // room(W) grows with W: the lowest W whose troughs hold what is and will be held.
    double hi = level;
    for (int it = 0; it < 40 && hi - lo > 1e-6 * Math.max(1, level); it++) {
      double mid = (lo + hi) / 2;
      if (room(mid, all, tolerant, held, slotSeconds) >= 0) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /**
   * Calls that fit below {@code w} (calls/s) between {@code from} and {@code until} by the
   * forecast: each slot's room is {@code w} less its expected arrivals, for the part of the slot
   * inside the interval. 0 until {@link #complete()}.
   */
  public double troughCalls(long from, long until, double w) {
    if (!complete() || until <= from) return 0;
    double room = 0;
    double slotMs = slotMs();
    long t = from;
    // A deadline more than a few cycles away needs no more of the forecast than that.
    long end = Math.min(until, from + 4 * cycleMs);
    while (t < end) {
      long slot = absoluteSlot(t);
      long slotEnd = slotStart(slot + 1);
      long to = Math.min(end, slotEnd);
      double rate = calls[index(slot)] * 1000.0 / slotMs;
      room += Math.max(0, w - rate) * (to - t) / 1000.0;
      t = to;
    }
    return room;
  }

  /** When absolute slot {@code absolute} starts (the inverse of {@link #absoluteSlot}). */
  private long slotStart(long absolute) {
    long cycle = Math.floorDiv(absolute, (long) slots);
    long within = Math.floorMod(absolute, (long) slots);
    return cycle * cycleMs - Math.floorDiv(-within * cycleMs, (long) slots);
  }

  /** Trough volume below {@code w} less the work to put there, in calls. */
  private static double room(
      double w, double[] all, double[] tolerant, long held, double slotSeconds) {
    double room = -held;
    for (int k = 0; k < all.length; k++) {
      room += Math.max(0, w - all[k]) * slotSeconds;
      room -= Math.min(tolerant[k], Math.max(0, all[k] - w)) * slotSeconds;
    }
    return room;
  }

  private long absoluteSlot(long at) {
    long cycle = Math.floorDiv(at, cycleMs);
    long within = Math.floorMod(at, cycleMs);
    return cycle * slots + (within * slots) / cycleMs;
  }

  private int index(long absolute) {
    return (int) Math.floorMod(absolute, (long) slots);
  }

  /** The length of the profile {@link #toBytes} wrote at the start of {@code data}. */
  static int byteLength(byte[] data) {
    int slots = java.nio.ByteBuffer.wrap(data, 12, 4).getInt();
    return 16 + slots * 17 + 24;
  }

  /** The learned profile, for a checkpoint. */
  public byte[] toBytes() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + slots * 17);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(FORMAT);
      out.writeLong(cycleMs);
      out.writeInt(slots);
      for (int i = 0; i < slots; i++) {
        out.writeBoolean(seen[i]);
        out.writeDouble(calls[i]);
        out.writeDouble(deferrable[i]);
      }
      out.writeLong(currentSlot);
      out.writeLong(currentCalls);
      out.writeLong(currentDeferrable);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The profile {@link #toBytes} wrote; an empty one of this shape when it was learned over another
   * cycle or slot count (a changed configuration starts learning afresh). Restored, it goes on
   * counting the checkpoint's slot; if the clock has moved more than a slot past it (the job was
   * stopped, not failed over), it leaves that slot and those since unchanged rather than closing
   * them as quiet, since the job did not see them. Restored timers fire at their own, older times
   * first, so only the first move to a later slot tells.
   */
  public static DemandProfile fromBytes(byte[] data, long cycleMs, int slots) {
    DemandProfile p = new DemandProfile(cycleMs, slots);
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      if (in.readInt() != FORMAT || in.readLong() != cycleMs || in.readInt() != slots) return p;
      for (int i = 0; i < slots; i++) {
        p.seen[i] = in.readBoolean();
        p.calls[i] = in.readDouble();
        p.deferrable[i] = in.readDouble();
        if (p.seen[i]) p.seenCount++;
      }
      p.currentSlot = in.readLong();
      p.currentCalls = in.readLong();
      p.currentDeferrable = in.readLong();
      p.resumed = true;
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
