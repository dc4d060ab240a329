package io.xfaas.scheduler.sim;

import io.xfaas.window.WindowSettings;
import java.util.List;
import java.util.Map;

/**
 * How the region's sidecar slots are split, as the real pool splits them: each sidecar has its own
 * slots and runs only the functions of the RunQ partitions it owns (RunQ is keyed by function), and
 * reports on its own clock. A function one sidecar's slots cannot hold waits at that sidecar even
 * while another is idle, and the controller sees each sidecar's load and windows apart, not one
 * pool's.
 *
 * @param capacities each sidecar's slots
 * @param phasesMs when each sidecar's first feedback period ends, ms after the window starts: each
 *     reports every feedback interval from there on
 * @param functions for each function, the sidecars (index into {@code capacities}) that ran it, in
 *     time order: its partition moves when the sidecars' consumer group rebalances (a sidecar that
 *     starts late takes half the partitions of the one that ran them all); a function not listed
 *     goes to {@link #sidecarOf}'s hash, as a partition would
 * @param windows the functions' concurrency windows at each sidecar
 */
public record SidecarLayout(
    List<Integer> capacities,
    List<Long> phasesMs,
    Map<String, List<Move>> functions,
    WindowSettings windows) {

  /**
   * A function runs at {@code sidecar} from {@code atMs} on (ms after the window starts).
   *
   * @param atMs from when
   * @param sidecar index into the capacities
   */
  public record Move(long atMs, int sidecar) {}

  public SidecarLayout {
    capacities = List.copyOf(capacities);
    phasesMs = List.copyOf(phasesMs);
    Map<String, List<Move>> f = new java.util.HashMap<>();
    functions.forEach((k, v) -> f.put(k, List.copyOf(v)));
    functions = Map.copyOf(f);
    if (windows == null) throw new IllegalArgumentException("windows");
    if (capacities.isEmpty() || capacities.size() != phasesMs.size()) {
      throw new IllegalArgumentException("one phase per sidecar, at least one sidecar");
    }
    for (List<Move> moves : functions.values()) {
      if (moves.isEmpty()) throw new IllegalArgumentException("a function with no sidecar");
      for (Move m : moves) {
        if (m.sidecar() < 0 || m.sidecar() >= capacities.size()) {
          throw new IllegalArgumentException("no sidecar " + m.sidecar());
        }
      }
    }
  }

  public int sidecars() {
    return capacities.size();
  }

  /** The slots of all sidecars. */
  public int slots() {
    return capacities.stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * The sidecar that runs {@code function} at {@code atMs}: the last it moved to by then, or the
   * first it ran at.
   */
  public int sidecarOf(String function, long atMs) {
    List<Move> moves = functions.get(function);
    if (moves == null) return Math.floorMod(function.hashCode(), capacities.size());
    int at = moves.get(0).sidecar();
    for (Move m : moves) {
      if (m.atMs() > atMs) break;
      at = m.sidecar();
    }
    return at;
  }
}
