package io.xfaas.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xfaas.replay.AzureTrace.RunTimes;
import io.xfaas.replay.AzureTrace.TraceFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureTraceTest {
  @TempDir Path dir;

  @Test
  void readsTheSharedTraceWithItsReadmeTotals() {
    AzureTrace trace = AzureTrace.read(TraceFixtures.SAMPLE100);

    assertThat(trace.functions()).hasSize(100);
    // The README: 621,128 invocations in all, 233 to 1,622 a minute.
    assertThat(trace.total()).isEqualTo(621_128);
    long[] perMinute = trace.perMinute();
    assertThat(perMinute).hasSize(1440);
    assertThat(java.util.Arrays.stream(perMinute).min().getAsLong()).isEqualTo(233);
    assertThat(java.util.Arrays.stream(perMinute).max().getAsLong()).isEqualTo(1622);
    Set<String> names = new HashSet<>();
    for (TraceFunction f : trace.functions()) {
      assertThat(f.function()).matches("f-[0-9a-f]{8}");
      assertThat(f.tenant()).matches("t-[0-9a-f]{8}");
      names.add(f.function());
    }
    assertThat(names).hasSize(100);
  }

  @Test
  void takesRunTimesFrom100Run() {
    AzureTrace trace = AzureTrace.read(TraceFixtures.SAMPLE100);

    // 1779fd33...: Count 14, Average 81067, every percentile 81067.
    TraceFunction f =
        trace.functions().stream().filter(x -> x.function().equals("f-1779fd33")).findFirst().get();
    assertThat(f.runTimes().average()).isEqualTo(81067);
    assertThat(f.runTimes().quantile(0.3)).isEqualTo(81067);
  }

  @Test
  void quantilesInterpolateBetweenRecordedPercentiles() {
    RunTimes rt = new RunTimes(500, new double[] {100, 100, 200, 400, 600, 900, 1000});

    assertThat(rt.quantile(0)).isEqualTo(100);
    assertThat(rt.quantile(0.5)).isEqualTo(400);
    assertThat(rt.quantile(0.375)).isCloseTo(300, within(1e-9));
    assertThat(rt.quantile(1)).isEqualTo(1000);
    assertThat(rt.quantile(2)).isEqualTo(1000);
  }

  @Test
  void aFunctionWithoutRunTimesGetsTheDefaultAndAShortRowIsRefused() throws Exception {
    StringBuilder header = new StringBuilder("HashFunction,HashApp,HashOwner");
    StringBuilder row = new StringBuilder("abcdef0123,app,owner99999");
    for (int m = 1; m <= 1440; m++) {
      header.append(",minute_").append(m);
      row.append(",").append(m == 1 ? 5 : 0);
    }
    Files.write(dir.resolve("x_inv.csv"), List.of(header.toString(), row.toString()));
    Files.write(dir.resolve("x_run.csv"), List.of("HashFunction,HashApp,HashOwner,Count,Average"));

    AzureTrace trace = AzureTrace.read(dir);

    TraceFunction f = trace.functions().get(0);
    assertThat(f.function()).isEqualTo("f-abcdef01");
    assertThat(f.tenant()).isEqualTo("t-owner999");
    assertThat(f.total()).isEqualTo(5);
    assertThat(f.runTimes().average()).isEqualTo(AzureTrace.DEFAULT_RUN_MS);

    Files.write(dir.resolve("x_inv.csv"), List.of(header.toString(), "a,b,c,1,2"));
    assertThatThrownBy(() -> AzureTrace.read(dir)).hasMessageContaining("columns");
  }
}
