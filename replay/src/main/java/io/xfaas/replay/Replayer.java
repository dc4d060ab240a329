package io.xfaas.replay;

import io.xfaas.records.Criticality;
import io.xfaas.submit.InvocationBuilder;
import io.xfaas.submit.SubmitterClient;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Plays a {@link ReplayPlan} into DurableQ in real time through the {@link SubmitterClient}: each
 * call is submitted when its time comes, stamped with the submission time, a deadline relative to
 * it for DEFERRABLE calls, and a payload for the {@code replay} emulator ({@code {"runMs": N,
 * "scale": S}}). Ids are {@code <idPrefix>-<n>}, n counting from 0 in plan order.
 */
public final class Replayer {
  private final SubmitterClient client;
  private final String idPrefix;
  private volatile boolean stopped;

  /**
   * What a replay did.
   *
   * @param sent calls handed to the client
   * @param acknowledged calls Kafka acknowledged
   * @param failed calls Kafka refused (the first error is in {@code firstError})
   * @param maxLagMs how far behind its plan the replay fell at worst (a saturated machine)
   * @param tookMs how long it took, including waiting for the acknowledgements
   */
  public record Result(
      long sent,
      long acknowledged,
      long failed,
      long maxLagMs,
      long tookMs,
      Throwable firstError) {}

  public Replayer(SubmitterClient client, String idPrefix) {
    this.client = client;
    this.idPrefix = idPrefix;
  }

  /** Makes a replay in progress stop after the call it is sending. */
  public void stop() {
    stopped = true;
  }

  /**
   * Plays the plan, blocking until every call is sent and acknowledged (or the replay stopped).
   *
   * @param progress told the number of calls sent, about once a second
   */
  public Result play(ReplayPlan plan, LongConsumer progress) throws InterruptedException {
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    double scale = plan.settings().runtimeScale();
    long start = System.currentTimeMillis();
    long nextProgress = start + 1000;
    long maxLag = 0;
    long sent = 0;
    for (PlannedCall call : plan.calls()) {
      if (stopped) break;
      long due = start + call.atMs();
      long now = System.currentTimeMillis();
      if (due > now) {
        // Pacing, not waiting for a condition: the plan says when the next call is due.
        Thread.sleep(due - now);
        now = System.currentTimeMillis();
      } else {
        maxLag = Math.max(maxLag, now - due);
      }
      InvocationBuilder b =
          InvocationBuilder.call(call.tenant(), call.function())
              .id(idPrefix + "-" + sent)
              .criticality(call.criticality())
              .submittedAt(now)
              .payload("{\"runMs\":" + call.runMs() + ",\"scale\":" + scale + "}");
      if (call.criticality() == Criticality.DEFERRABLE && call.deadlineAfterMs() > 0) {
        b.deadline(now + call.deadlineAfterMs());
      }
      client
          .submit(b.build())
          .whenComplete(
              (meta, error) -> {
                if (error == null) {
                  acked.incrementAndGet();
                } else {
                  failed.incrementAndGet();
                  firstError.compareAndSet(null, error);
                }
              });
      sent++;
      if (now >= nextProgress) {
        progress.accept(sent);
        nextProgress = now + 1000;
      }
    }
    client.flush();
    progress.accept(sent);
    return new Result(
        sent,
        acked.get(),
        failed.get(),
        maxLag,
        System.currentTimeMillis() - start,
        firstError.get());
  }
}
