package io.xfaas.gtc;

import java.util.HashMap;
import java.util.Map;

/** A region's reports within one window, per reporter. A Flink POJO. */
public class RegionLoadAccumulator {
  public Map<String, ReporterTotals> reporters = new HashMap<>();
  public long reports;
  public long lastReportAt;

  public RegionLoadAccumulator() {}
}
