package io.xfaas.sidecar;

import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;

/** What became of one RunQ record; {@link OutputRecords} turns it into the records to write. */
public sealed interface Decision {

  /** The function answered: a SUCCEEDED outcome. */
  record Succeeded(Outcome outcome) implements Decision {}

  /** The attempt failed and attempts are left: the next attempt goes back to DurableQ. */
  record Retry(Invocation next, String error) implements Decision {}

  /**
   * The call is given up (unknown function, or the last attempt failed): a FAILED outcome, and a
   * dead letter keeping the RunQ record for replay.
   */
  record Failed(Outcome outcome, DeadLetter deadLetter) implements Decision {}

  /**
   * The record is not a valid invocation: a dead letter, and a REJECTED outcome when the record
   * carried a usable id (its submitter is owed a terminal outcome), else {@code rejection} is null.
   */
  record Unparseable(DeadLetter deadLetter, Outcome rejection) implements Decision {}
}
