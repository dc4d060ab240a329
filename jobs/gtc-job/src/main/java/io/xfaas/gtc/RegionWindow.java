package io.xfaas.gtc;

import io.xfaas.records.RegionLoad;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Names the folded reports with their region and window. */
public final class RegionWindow
    extends ProcessWindowFunction<RegionLoadAccumulator, RegionLoad, String, TimeWindow> {
  @Override
  public void process(
      String region,
      Context ctx,
      Iterable<RegionLoadAccumulator> folded,
      Collector<RegionLoad> out) {
    for (RegionLoadAccumulator acc : folded) {
      out.collect(
          RegionLoadAggregate.toRegionLoad(
              region, ctx.window().getStart(), ctx.window().getEnd(), acc));
    }
  }
}
