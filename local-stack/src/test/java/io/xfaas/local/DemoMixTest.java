package io.xfaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.config.XfaasConfig;
import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.serde.InvocationLimits;
import io.xfaas.serde.InvocationRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DemoMixTest {
  private static final long NOW = 1_800_000_000_000L;
  private static final int ITEMS = 10_000;
  private static final InvocationLimits LIMITS = XfaasConfig.defaults().invocationLimits();

  private final List<Invocation> calls = new ArrayList<>();
  private final List<String> raw = new ArrayList<>();

  DemoMixTest() {
    DemoMix mix = new DemoMix(new Random(42));
    for (int i = 0; i < ITEMS; i++) {
      DemoMix.Item item = mix.next(NOW);
      if (item instanceof DemoMix.Item.Call c) calls.add(c.invocation());
      else raw.add(((DemoMix.Item.Raw) item).text());
    }
  }

  @Test
  void aboutOnePercentAreBadRecords() {
    assertThat(raw.size()).isBetween(ITEMS / 200, ITEMS / 50);
  }

  @Test
  void mostlyEchoSomeSleepAFewFail() {
    assertThat(share("echo")).isBetween(0.70, 0.85);
    assertThat(share("sleep")).isBetween(0.10, 0.20);
    assertThat(share("fail")).isBetween(0.02, 0.08);
  }

  @Test
  void sleepsLast20To200Ms() {
    assertThat(calls)
        .filteredOn(c -> c.function().equals("sleep"))
        .allSatisfy(
            c -> {
              int ms = Integer.parseInt(c.payload().replaceAll("\\D", ""));
              assertThat(ms).isBetween(20, 200);
            });
  }

  @Test
  void someAreDeferrableWithADeadlineAhead() {
    List<Invocation> deferrable =
        calls.stream().filter(c -> c.criticality() == Criticality.DEFERRABLE).toList();
    assertThat(deferrable.size()).isBetween(ITEMS / 20, ITEMS / 5);
    assertThat(deferrable).allSatisfy(c -> assertThat(c.deadline()).isGreaterThan(NOW));
  }

  @Test
  void spreadOverTheTenantsWithUniqueIds() {
    assertThat(calls).extracting(Invocation::tenant).containsOnlyElementsOf(DemoMix.TENANTS);
    assertThat(calls).extracting(Invocation::id).doesNotHaveDuplicates();
  }

  @Test
  void everyCallIsValidOnceTheSubmitterFillsItIn() {
    assertThat(calls)
        .allSatisfy(
            c -> {
              Invocation filled =
                  new Invocation(
                      c.id(),
                      c.tenant(),
                      c.function(),
                      c.criticality(),
                      c.priority(),
                      c.submittedAt() == 0 ? NOW : c.submittedAt(),
                      c.notBefore(),
                      c.deadline(),
                      c.attempt(),
                      c.maxAttempts() == 0 ? 3 : c.maxAttempts(),
                      c.payload(),
                      c.attributes(),
                      null,
                      c.extra());
              assertThat(InvocationRules.check(filled, LIMITS, NOW)).isNull();
            });
  }

  private double share(String function) {
    return calls.stream().filter(c -> c.function().equals(function)).count() / (double) ITEMS;
  }
}
