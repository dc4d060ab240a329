package io.xfaas.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.xfaas.records.DeadLetter;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Choosing, skipping and decoding dead letters for a redrive, without Kafka. */
class DlqRedrivePlanTest {
  private static final String DLQ = "xfaas.t.dlq";
  private static final String DURABLEQ = "xfaas.t.durableq";

  private static DlqRecord record(long offset, ReasonCode reason, String id, String tenant) {
    DeadLetter d =
        DeadLetter.of(
            reason,
            "because",
            id,
            tenant,
            "echo",
            ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
            DURABLEQ,
            0,
            offset,
            1_000L,
            "t");
    return DlqRecord.of(DLQ, 0, offset, d);
  }

  private final List<DlqRecord> dlq =
      List.of(
          record(0, ReasonCode.UNKNOWN_TENANT, "a", "ads"),
          record(1, ReasonCode.UNKNOWN_TENANT, "b", "feed"),
          record(2, ReasonCode.MALFORMED_JSON, null, null),
          record(3, ReasonCode.UNKNOWN_FUNCTION, "c", "ads"),
          new DlqRecord(DLQ, 0, 4, null, "not a dead letter"));

  @Test
  void selectionMatchesEveryGivenFilter() {
    assertThat(dlq.stream().filter(DlqSelection.all()::matches)).hasSize(5);
    var tenantReason = new DlqSelection("UNKNOWN_TENANT", "ads", List.of());
    assertThat(dlq.stream().filter(tenantReason::matches).map(DlqRecord::offset))
        .containsExactly(0L);
    var ids = new DlqSelection(null, null, List.of("b", "c"));
    assertThat(dlq.stream().filter(ids::matches).map(DlqRecord::offset)).containsExactly(1L, 3L);
    assertThat(tenantReason.describe()).isEqualTo("reason=UNKNOWN_TENANT tenant=ads");
    assertThat(DlqSelection.all().describe()).isEqualTo("(all)");
  }

  @Test
  void planSkipsWhatWasRedrivenAndWhatCannotBe() {
    var selection = new DlqSelection("UNKNOWN_TENANT", null, List.of());
    RedrivePlan first = RedrivePlan.of(dlq, selection, Set.of(), DURABLEQ);
    assertThat(first.toRedrive().stream().map(DlqRecord::offset)).containsExactly(0L, 1L);
    assertThat(first.alreadyRedriven()).isEmpty();

    RedrivePlan second = RedrivePlan.of(dlq, selection, Set.of(DLQ + "/0/0"), DURABLEQ);
    assertThat(second.toRedrive().stream().map(DlqRecord::offset)).containsExactly(1L);
    assertThat(second.alreadyRedriven().stream().map(DlqRecord::auditKey))
        .containsExactly(DLQ + "/0/0");

    // A dead letter of another topic (a result, a config record) does not go to DurableQ.
    DeadLetter fromResults =
        DeadLetter.of(
            ReasonCode.MALFORMED_JSON, "x", null, null, null, new byte[] {1}, "r", 0, 0, 0, "t");
    RedrivePlan other =
        RedrivePlan.of(
            List.of(DlqRecord.of(DLQ, 0, 9, fromResults)), DlqSelection.all(), Set.of(), DURABLEQ);
    assertThat(other.toRedrive()).isEmpty();
    assertThat(other.unredrivable()).hasSize(1);
    assertThat(RedrivePlan.whyNot(fromResults, DURABLEQ)).contains("came from r");
  }

  @Test
  void originalIsTheTextOrTheDecodedBase64() {
    byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, 'x'};
    DeadLetter b =
        DeadLetter.of(
            ReasonCode.MALFORMED_JSON, "x", null, null, null, binary, DURABLEQ, 0, 0, 0, "t");
    assertThat(b.original()).isNull();
    assertThat(RedrivePlan.original(b)).isEqualTo(binary);
    DeadLetter text =
        DeadLetter.of(
            ReasonCode.MALFORMED_JSON,
            "x",
            null,
            null,
            null,
            "héllo".getBytes(StandardCharsets.UTF_8),
            DURABLEQ,
            0,
            0,
            0,
            "t");
    assertThat(RedrivePlan.original(text)).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    DeadLetter none =
        new DeadLetter(
            ReasonCode.MALFORMED_JSON, "x", null, null, null, null, null, DURABLEQ, 0, 0, 0, "t");
    assertThat(RedrivePlan.original(none)).isNull();
    assertThat(RedrivePlan.whyNot(none, DURABLEQ)).isEqualTo("it carries no original");
  }

  @Test
  void auditFoldsEntriesAndRunsAndIgnoresWhatItCannotRead() {
    RedriveAudit audit = new RedriveAudit();
    RedriveEntry entry = new RedriveEntry("ann", 5, DLQ, 0, 1, "b", "UNKNOWN_TENANT", "r1");
    RedriveRun run1 =
        new RedriveRun(
            "r1", "ann", 5, 1, 0, 0, new DlqSelection("UNKNOWN_TENANT", null, null), DURABLEQ);
    RedriveRun run2 = new RedriveRun("r2", "bob", 9, 0, 1, 0, DlqSelection.all(), DURABLEQ);
    audit.fold(RedriveAudit.runKey("r2"), Json.write(run2));
    audit.fold(RedriveAudit.entryKey(entry.auditKey()), Json.write(entry));
    audit.fold(RedriveAudit.runKey("r1"), Json.write(run1));
    audit.fold(
        "junk".getBytes(StandardCharsets.UTF_8), "not json".getBytes(StandardCharsets.UTF_8));
    audit.fold(null, Json.write(entry));

    assertThat(audit.redrivenKeys()).containsExactly(DLQ + "/0/1");
    assertThat(audit.entries().get(DLQ + "/0/1")).isEqualTo(entry);
    assertThat(audit.runs()).containsExactly(run1, run2);

    audit.fold(RedriveAudit.entryKey(entry.auditKey()), null);
    assertThat(audit.redrivenKeys()).isEmpty();
  }
}
