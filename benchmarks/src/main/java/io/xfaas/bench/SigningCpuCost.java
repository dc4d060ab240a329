package io.xfaas.bench;

import io.xfaas.bench.jmh.SigningBenchmark;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The CPU time of signing and checking one call, in µs per call: {@link SigningBenchmark}'s
 * operations timed by the thread's CPU clock rather than the wall clock, so that a busy shared
 * machine slows the run but not the figure. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.xfaas.bench.SigningCpuCost [calls]}.
 */
public final class SigningCpuCost {
  private SigningCpuCost() {}

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    SigningBenchmark b = new SigningBenchmark();
    b.setUp();
    Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
    ops.put("admit, signing off", b::admitSigningOff);
    ops.put("admit, signing required", b::admitSigningRequired);
    ops.put("verify alone", b::verify);
    ops.put("sign (submitter)", b::sign);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 2; round++) {
      // The first round warms the JIT up; the second is reported.
      for (Map.Entry<String, Supplier<Object>> op : ops.entrySet()) {
        long sink = 0;
        long start = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) sink += java.util.Objects.hashCode(op.getValue().get());
        long ns = cpu.getCurrentThreadCpuTime() - start;
        if (round == 1) {
          System.out.printf(
              "%-26s %7.2f µs CPU per call (%d calls, %d)%n",
              op.getKey(), ns / 1000.0 / calls, calls, sink & 1);
        }
      }
    }
  }
}
