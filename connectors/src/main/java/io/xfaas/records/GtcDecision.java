package io.xfaas.records;

import java.util.List;
import java.util.Map;

/**
 * The GTC's traffic decision for one source region, written to the compacted decisions topic
 * ({@code xfaas.gtc.decisions}, key = source region): the share of the region's new invocations
 * each region should receive. Shares are in [0, 1] and sum to 1; a region missing from the map gets
 * none. Submitters of {@code sourceRegion} follow the latest decision.
 *
 * @param sourceRegion whose submitters this decision is for
 * @param shares destination region to share of new work; the source's own entry is what stays local
 * @param inputs the per-region loads (latest window of each region, with the estimated demand and
 *     liveness) the decision was computed from
 * @param reason why the shares are what they are: {@code local}, {@code overflow}, {@code drained},
 *     {@code no-headroom}
 * @param decidedAt when the decision was made, epoch ms
 * @param version increases by one with every matrix the GTC job computes; all rows of one matrix
 *     carry the same version
 */
public record GtcDecision(
    String sourceRegion,
    Map<String, Double> shares,
    List<RegionLoad> inputs,
    String reason,
    long decidedAt,
    long version) {
  public GtcDecision {
    shares = shares == null ? Map.of() : shares;
    inputs = inputs == null ? List.of() : inputs;
  }
}
