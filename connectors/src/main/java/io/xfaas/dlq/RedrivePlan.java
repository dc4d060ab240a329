package io.xfaas.dlq;

import io.xfaas.records.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * What a redrive does with the dead letters a selection matches: re-submit them, skip them because
 * an earlier run already did, or leave them because they cannot be re-submitted.
 *
 * @param toRedrive matching dead letters to re-submit, in DLQ order
 * @param alreadyRedriven matching dead letters an earlier run re-submitted
 * @param unredrivable matching dead letters without an original, or not from DurableQ
 */
public record RedrivePlan(
    List<DlqRecord> toRedrive, List<DlqRecord> alreadyRedriven, List<DlqRecord> unredrivable) {

  /**
   * The plan for {@code records} (the whole DLQ, in order) under {@code selection}, given the audit
   * keys of the DLQ records already redriven and the DurableQ topic: only dead letters of records
   * that arrived on DurableQ (or whose source topic is unknown) go back there.
   */
  public static RedrivePlan of(
      List<DlqRecord> records, DlqSelection selection, Set<String> redriven, String durableq) {
    List<DlqRecord> go = new ArrayList<>();
    List<DlqRecord> skipped = new ArrayList<>();
    List<DlqRecord> cannot = new ArrayList<>();
    for (DlqRecord r : records) {
      if (r.letter() == null || !selection.matches(r)) continue;
      if (redriven.contains(r.auditKey())) skipped.add(r);
      else if (whyNot(r.letter(), durableq) != null) cannot.add(r);
      else go.add(r);
    }
    return new RedrivePlan(List.copyOf(go), List.copyOf(skipped), List.copyOf(cannot));
  }

  /** The audit record of run {@code runId} carrying out this plan: its counts are this plan's. */
  RedriveRun run(String runId, String who, long when, DlqSelection filters, String durableq) {
    return new RedriveRun(
        runId,
        who,
        when,
        toRedrive.size(),
        alreadyRedriven.size(),
        unredrivable.size(),
        filters,
        durableq);
  }

  /** Why the dead letter cannot be re-submitted to {@code durableq}, or null when it can. */
  public static String whyNot(DeadLetter letter, String durableq) {
    if (letter.topic() != null && !letter.topic().equals(durableq)) {
      return "it came from " + letter.topic() + ", not " + durableq;
    }
    if (original(letter) == null) return "it carries no original";
    return null;
  }

  /**
   * The record as it arrived: the UTF-8 bytes of {@code original}, or the decoded {@code
   * originalBase64}; null when there is neither (or the base64 is corrupt).
   */
  public static byte[] original(DeadLetter letter) {
    if (letter.original() != null) return letter.original().getBytes(StandardCharsets.UTF_8);
    if (letter.originalBase64() == null) return null;
    try {
      return Base64.getDecoder().decode(letter.originalBase64());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
