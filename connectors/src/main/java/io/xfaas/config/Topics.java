package io.xfaas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** The topic names of one region, resolved from configuration. */
public record Topics(
    String durableq,
    String runq,
    String outcomes,
    String results,
    String dlq,
    String feedback,
    String metrics,
    String config,
    String load,
    String gtcDecisions,
    String dlqRedrive,
    String decisions)
    implements Serializable {

  /** The brief's default names for a region: {@code xfaas.R.durableq} and so on. */
  public static Topics forRegion(String region) {
    return XfaasConfig.of(Map.of(XfaasOptions.REGION.key(), region)).topics();
  }

  /**
   * Topics and partition counts a region needs; compacted ones are listed by {@link #compacted}.
   */
  public Map<String, Integer> partitions(int regionPartitions) {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put(durableq, regionPartitions);
    m.put(runq, regionPartitions);
    m.put(outcomes, regionPartitions);
    m.put(results, regionPartitions);
    m.put(dlq, 1);
    m.put(feedback, 1);
    m.put(metrics, 1);
    m.put(load, 1);
    m.put(decisions, regionPartitions);
    return m;
  }

  /** Topics whose latest value per key is what matters. */
  public Map<String, Integer> compacted() {
    return Map.of(config, 1, gtcDecisions, 1, dlqRedrive, 1);
  }
}
