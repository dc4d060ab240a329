package io.xfaas.local;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import io.xfaas.submit.InvocationBuilder;
import java.util.List;
import java.util.Random;

/**
 * The demo's sample load, one item at a time: mostly {@code echo}, some {@code sleep} of 20-200 ms,
 * a few {@code fail} once (retried to success, or FAILED when given one attempt), some DEFERRABLE
 * calls with deadlines, a few that arrive after their deadline (EXPIRED), and about 1% records that
 * are not valid invocations (dead letters). Plain logic, seeded in tests.
 */
final class DemoMix {
  static final List<String> TENANTS = List.of("acme", "globex", "initech");

  private final Random random;
  private long seq;

  DemoMix(Random random) {
    this.random = random;
  }

  /** What the demo sends next. */
  sealed interface Item {
    /** An invocation, sent with the submitter client. */
    record Call(Invocation invocation) implements Item {}

    /** Raw bytes written straight to DurableQ, as a buggy producer would. */
    record Raw(String text) implements Item {}
  }

  Item next(long now) {
    long n = ++seq;
    String tenant = TENANTS.get(random.nextInt(TENANTS.size()));
    int roll = random.nextInt(100);
    if (roll == 0) return bad(n, tenant, now);
    InvocationBuilder call;
    if (roll <= 5) {
      call = InvocationBuilder.call(tenant, "fail").payload("{\"failures\":1}");
      // Half get a single attempt, so the failure is final and the FAILED count moves too.
      if (random.nextBoolean()) call.maxAttempts(1);
    } else if (roll <= 20) {
      int ms = 20 + random.nextInt(181);
      call = InvocationBuilder.call(tenant, "sleep").payload("{\"ms\":" + ms + "}");
    } else {
      call = InvocationBuilder.call(tenant, "echo").payload("{\"n\":" + n + "}");
    }
    call.id("demo-" + n).attribute("source", "xfaas-local-demo");
    int shape = random.nextInt(100);
    if (shape < 10) {
      call.criticality(Criticality.DEFERRABLE).deadline(now + 5_000 + random.nextInt(55_000));
    } else if (shape == 10) {
      // Submitted two seconds ago with a deadline already gone: the scheduler expires it.
      call.submittedAt(now - 2_000).deadline(now - 1_000);
    }
    return new Item.Call(call.build());
  }

  private static Item bad(long n, String tenant, long now) {
    if (n % 2 == 0) {
      return new Item.Raw("this is not JSON {" + n);
    }
    // An id but a criticality no one knows: a dead letter and a REJECTED outcome.
    return new Item.Raw(
        "{\"id\":\"demo-"
            + n
            + "\",\"tenant\":\""
            + tenant
            + "\",\"function\":\"echo\",\"criticality\":\"URGENT\",\"submittedAt\":"
            + now
            + "}");
  }
}
