package io.xfaas.gtc;

/** One reporter's reports within a window: sums of its rates, its latest sizes. A Flink POJO. */
public class ReporterTotals {
  public String kind;
  public long reports;
  public double arrivalSum;
  public double dispatchSum;
  public long lastAt;
  public long backlogCritical;
  public long backlogNormal;
  public long backlogDeferrable;
  public double capacity;
  public double utilization;

  public ReporterTotals() {}
}
