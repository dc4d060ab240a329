package io.xfaas.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {
  @Test
  void commitsOnlyTheContiguousDonePrefix() {
    PartitionProgress p = new PartitionProgress();
    for (long o = 10; o < 15; o++) p.received(o);

    assertThat(p.toCommit()).hasValue(10);
    p.completed(11);
    p.completed(12);
    assertThat(p.toCommit()).as("10 is still running").hasValue(10);
    p.committed(10);
    assertThat(p.toCommit()).isEmpty();

    p.completed(10);
    assertThat(p.toCommit()).hasValue(13);
    p.committed(13);
    p.completed(14);
    p.completed(13);
    assertThat(p.toCommit()).hasValue(15);
    assertThat(p.outstanding()).isZero();
  }

  @Test
  void allDoneCommitsThePositionPastTransactionMarkers() {
    PartitionProgress p = new PartitionProgress();
    p.received(3);
    p.advancePosition(5); // a commit marker at offset 4
    p.completed(3);

    assertThat(p.toCommit()).hasValue(5);
  }

  @Test
  void abandonedRecordsHoldTheCommitBackButAreNotOutstanding() throws Exception {
    PartitionProgress p = new PartitionProgress();
    p.received(0);
    p.received(1);
    p.received(2);
    p.completed(0);
    p.abandoned(1);
    p.completed(2);

    assertThat(p.outstanding()).isZero();
    assertThat(p.awaitQuiet(1)).isTrue();
    assertThat(p.toCommit()).hasValue(1);
  }

  @Test
  void awaitQuietTimesOutWhileARecordRuns() throws Exception {
    PartitionProgress p = new PartitionProgress();
    p.received(0);

    assertThat(p.awaitQuiet(10)).isFalse();
  }
}
