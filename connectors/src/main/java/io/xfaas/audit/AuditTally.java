package io.xfaas.audit;

import io.xfaas.records.DeadLetter;
import io.xfaas.records.Invocation;
import io.xfaas.records.Outcome;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.records.ReasonCode;
import io.xfaas.serde.InvocationSerde;
import io.xfaas.serde.Json;
import io.xfaas.serde.ParseResult;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The counting behind {@code xfaas audit}, without Kafka: fed DurableQ records first, then
 * outcomes, results and dead letters (in any order among those three), it tells what became of
 * every submission in scope. Plain logic, not thread-safe.
 *
 * <p>Why DurableQ first: it defines the scope. Outcomes, results and dead letters carry ids (and
 * dead letters the offset of the bad record), and count only for what was submitted in scope.
 */
public final class AuditTally {
  /** How many example ids a report names. */
  public static final int SAMPLE = 10;

  // A best-effort id from a record too broken to parse, so --id-prefix can still place it.
  private static final Pattern RAW_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]{1,256})\"");

  private final InvocationSerde serde;
  private final String durableQTopic;
  private final AuditFilter filter;

  private long submissions;
  private long retries;
  private long cancels;
  private long invalid;
  private final Map<ReasonCode, Long> invalidByReason = new EnumMap<>(ReasonCode.class);
  private final Set<String> accepted = new HashSet<>();
  private final Set<String> invalidIds = new HashSet<>();
  private long invalidWithId;
  // partition and offset of every invalid record, to match the dead letters that name them
  private final Set<Long> invalidPositions = new HashSet<>();
  private final Set<Long> deadLettered = new HashSet<>();

  private final Map<String, Integer> outcomesPerId = new HashMap<>();
  private final Map<String, OutcomeStatus> firstStatus = new HashMap<>();
  private long unknownOutcomes;

  // Runs of each (id, attempt), from what a run leaves: a result, or a retry (the next attempt).
  private final Map<String, Integer> runsPerAttempt = new HashMap<>();
  private long results;

  private long deadLetters;
  private final Map<ReasonCode, Long> deadLettersByReason = new EnumMap<>(ReasonCode.class);

  /**
   * @param serde the parser with the region's limits, so the audit judges input as the scheduler
   *     does
   * @param durableQTopic the DurableQ topic, which dead letters of bad input name as their source
   */
  public AuditTally(InvocationSerde serde, String durableQTopic, AuditFilter filter) {
    this.serde = serde;
    this.durableQTopic = durableQTopic;
    this.filter = filter;
  }

  /**
   * One DurableQ record. {@code timestamp} is its Kafka timestamp: validation runs as of then, as
   * the scheduler ran it on arrival.
   */
  public void submission(byte[] value, long timestamp, int partition, long offset) {
    ParseResult parsed = serde.parse(value, timestamp);
    if (parsed instanceof ParseResult.Accepted a) {
      Invocation inv = a.invocation();
      if (!filter.matches(inv.id(), inv.tenant(), inv.submittedAt())) return;
      submissions++;
      if (inv.attempt() > 1) {
        retries++;
        ran(inv.id(), inv.attempt() - 1);
      }
      accepted.add(inv.id());
    } else if (parsed instanceof ParseResult.Cancel c) {
      if (filter.matches(c.id(), c.tenant(), timestamp)) cancels++;
    } else if (parsed instanceof ParseResult.Rejected r) {
      String id = r.id() != null ? r.id() : rawId(value);
      if (!filter.matches(id, r.tenant(), timestamp)) return;
      invalid++;
      invalidByReason.merge(r.reason(), 1L, Long::sum);
      invalidPositions.add(position(partition, offset));
      if (r.id() != null) {
        invalidWithId++;
        invalidIds.add(r.id());
      }
    }
  }

  /** One record of the outcomes topic (read committed). */
  public void outcome(byte[] value) {
    Outcome o = readOutcome(value);
    if (o == null || o.id() == null) return;
    if (!inScope(o.id())) {
      if (filter.matchesIdentity(o.id(), o.tenant())) unknownOutcomes++;
      return;
    }
    outcomesPerId.merge(o.id(), 1, Integer::sum);
    if (o.status() != null) firstStatus.putIfAbsent(o.id(), o.status());
  }

  /** One attempt result a sidecar wrote to the results topic. */
  public void result(byte[] value) {
    Outcome o = readOutcome(value);
    if (o == null || o.id() == null || !inScope(o.id())) return;
    results++;
    ran(o.id(), o.attempts());
  }

  private void ran(String id, int attempt) {
    runsPerAttempt.merge(id + '\u0000' + attempt, 1, Integer::sum);
  }

  /** One dead letter. */
  public void deadLetter(byte[] value) {
    DeadLetter d;
    try {
      d = Json.readDeadLetter(value);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      return; // not ours
    }
    boolean ofBadInput =
        durableQTopic.equals(d.topic())
            && invalidPositions.contains(position(d.partition(), d.offset()));
    if (!ofBadInput && (d.id() == null || !inScope(d.id()))) return;
    deadLetters++;
    if (d.reason() != null) deadLettersByReason.merge(d.reason(), 1L, Long::sum);
    if (ofBadInput) deadLettered.add(position(d.partition(), d.offset()));
  }

  public AuditReport report(String region) {
    List<String> lostSample = new ArrayList<>();
    long lost = 0;
    for (String id : accepted) {
      if (!outcomesPerId.containsKey(id)) {
        lost++;
        if (lostSample.size() < SAMPLE) lostSample.add(id);
      }
    }
    List<String> duplicateSample = new ArrayList<>();
    long duplicates = 0;
    for (Map.Entry<String, Integer> e : outcomesPerId.entrySet()) {
      if (e.getValue() > 1) {
        duplicates++;
        if (duplicateSample.size() < SAMPLE) duplicateSample.add(e.getKey());
      }
    }
    long invalidWithoutOutcome = 0;
    for (String id : invalidIds) {
      if (!outcomesPerId.containsKey(id)) invalidWithoutOutcome++;
    }
    Map<OutcomeStatus, Long> byStatus = new EnumMap<>(OutcomeStatus.class);
    firstStatus.values().forEach(s -> byStatus.merge(s, 1L, Long::sum));
    // Every run of an attempt after its first: each left a result or a retry of its own.
    long duplicateExecutions = runsPerAttempt.values().stream().mapToLong(n -> n - 1).sum();
    lostSample.sort(null);
    duplicateSample.sort(null);
    return new AuditReport(
        region,
        filter.describe(),
        submissions,
        accepted.size(),
        retries,
        cancels,
        invalid,
        new TreeMap<>(invalidByReason),
        invalidWithId,
        invalidWithoutOutcome,
        invalidPositions.size() - deadLettered.size(),
        outcomesPerId.size(),
        byStatus,
        lost,
        lostSample,
        duplicates,
        duplicateSample,
        results,
        duplicateExecutions,
        deadLetters,
        new TreeMap<>(deadLettersByReason),
        unknownOutcomes);
  }

  private boolean inScope(String id) {
    return accepted.contains(id) || invalidIds.contains(id);
  }

  private static Outcome readOutcome(byte[] value) {
    if (value == null || value.length == 0) return null;
    try {
      return Json.readOutcome(value);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      return null; // unreadable: the scheduler dead-letters such results itself
    }
  }

  private static String rawId(byte[] value) {
    if (value == null) return null;
    Matcher m = RAW_ID.matcher(new String(value, StandardCharsets.UTF_8));
    return m.find() ? m.group(1) : null;
  }

  private static long position(int partition, long offset) {
    return ((long) partition << 40) | offset;
  }
}
