package io.xfaas.scheduler.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.Criticality;
import io.xfaas.records.Invocation;
import org.junit.jupiter.api.Test;

class TokenBucketAndKeysTest {
  @Test
  void bucketRefillsAtTheRateUpToTheBurst() {
    TokenBucket b = TokenBucket.full(5, 0);
    for (int i = 0; i < 5; i++) b = b.take();
    assertThat(b.hasToken()).isFalse();
    assertThat(b.nextTokenAt(10)).isEqualTo(100);
    assertThat(b.refill(99, 10, 5).hasToken()).isFalse();
    assertThat(b.refill(100, 10, 5).hasToken()).isTrue();
    assertThat(b.refill(10_000, 10, 5).tokens()).isEqualTo(5);
    assertThat(b.fullAt(10, 5)).isEqualTo(500);
  }

  private static Invocation inv(Criticality c, int priority) {
    return new Invocation("i", "t", "f", c, priority, 1, null, null, 1, 1, null, null, null, null);
  }

  @Test
  void keyBytesSortInDispatchOrder() {
    byte[] critical = BufferKeys.order(inv(Criticality.CRITICAL, 0), Long.MAX_VALUE, 9);
    byte[] earlyDeadline = BufferKeys.order(inv(Criticality.NORMAL, 0), 1000, 5);
    byte[] highPriority = BufferKeys.order(inv(Criticality.NORMAL, 7), Long.MAX_VALUE, 3);
    byte[] negativePriority = BufferKeys.order(inv(Criticality.NORMAL, -3), Long.MAX_VALUE, 1);
    byte[] lowPriorityFirst = BufferKeys.order(inv(Criticality.NORMAL, 0), Long.MAX_VALUE, 1);
    byte[] lowPrioritySecond = BufferKeys.order(inv(Criticality.NORMAL, 0), Long.MAX_VALUE, 2);
    byte[] deferrable = BufferKeys.order(inv(Criticality.DEFERRABLE, 9), 10, 0);
    byte[][] expected = {
      critical,
      earlyDeadline,
      highPriority,
      lowPriorityFirst,
      lowPrioritySecond,
      negativePriority,
      deferrable
    };
    for (int i = 0; i + 1 < expected.length; i++) {
      assertThat(BufferKeys.compare(expected[i], expected[i + 1]))
          .as("key %d < key %d", i, i + 1)
          .isNegative();
    }
    assertThat(BufferKeys.deadlineOf(earlyDeadline)).isEqualTo(1000);
    assertThat(BufferKeys.seqOf(earlyDeadline)).isEqualTo(5);
    byte[] t = BufferKeys.time(42, 7);
    assertThat(BufferKeys.timeOf(t)).isEqualTo(42);
    assertThat(BufferKeys.seqOfTime(t)).isEqualTo(7);
  }
}
