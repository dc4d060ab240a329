package io.xfaas.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.xfaas.records.Criticality;
import io.xfaas.records.OutcomeStatus;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one benchmark run left in the region's topics, reduced to what the analysis needs: calls as
 * they arrived on DurableQ, dispatches on RunQ, terminal outcomes, and the scheduler's metric
 * counters summed over tenants and periods. Fed record by record from raw JSON; records that do not
 * parse (there should be none) are counted and skipped.
 */
public final class RunRecords {
  /** A first attempt as submitted: when, its class, its deadline, how long it emulates. */
  public record Arrival(
      String id,
      String tenant,
      long submittedAt,
      Criticality criticality,
      Long deadline,
      long emulatedMs) {
    /** From a DurableQ record; the emulated run is the payload's runMs times its scale. */
    static Arrival of(JsonNode n) {
      JsonNode payload = n.path("payload");
      return new Arrival(
          n.path("id").asText(),
          n.path("tenant").asText(),
          n.path("submittedAt").asLong(),
          RunRecords.criticality(n),
          optionalLong(n, "deadline"),
          Math.round(payload.path("runMs").asLong(0) * payload.path("scale").asDouble(1.0)));
    }
  }

  /** A dispatch to RunQ of one attempt. */
  public record Dispatch(
      String id, int attempt, long submittedAt, long dispatchedAt, Criticality criticality) {
    /** From a RunQ record. */
    static Dispatch of(JsonNode n) {
      return new Dispatch(
          n.path("id").asText(),
          n.path("attempt").asInt(1),
          n.path("submittedAt").asLong(),
          n.get("dispatchedAt").asLong(),
          RunRecords.criticality(n));
    }
  }

  /** A terminal outcome. */
  public record Done(
      String id,
      OutcomeStatus status,
      Criticality criticality,
      long submittedAt,
      Long startedAt,
      long finishedAt) {
    /** From an outcomes record. */
    static Done of(JsonNode n) {
      return new Done(
          n.path("id").asText(),
          OutcomeStatus.valueOf(n.get("status").asText()),
          n.hasNonNull("criticality") ? RunRecords.criticality(n) : null,
          n.path("submittedAt").asLong(),
          optionalLong(n, "startedAt"),
          n.path("finishedAt").asLong());
    }
  }

  /**
   * A scheduler subtask's load report: its DEFERRABLE calls waiting (held) at a time, and the level
   * its time-shifting controller aimed at then (calls/s; 0 when it had none).
   */
  public record Held(String reporter, long reportedAt, long deferrableWaiting, double levelRate) {
    /** From a load record. */
    static Held of(JsonNode n) {
      return new Held(
          n.path("reporter").asText(),
          n.path("reportedAt").asLong(),
          n.path("backlogDeferrable").asLong(),
          n.path("levelRate").asDouble());
    }
  }

  /** Metric fields that are not counters: they are not summed. */
  private static final List<String> NOT_COUNTERS =
      List.of("periodStart", "periodEnd", "buffered", "queueDelay");

  private final List<Arrival> arrivals = new ArrayList<>();
  private final List<Dispatch> dispatches = new ArrayList<>();
  private final List<Done> outcomes = new ArrayList<>();
  private final Map<String, Long> metricTotals = new TreeMap<>();
  private final Map<String, Long> decisions = new TreeMap<>();
  private final List<Held> held = new ArrayList<>();
  private long unreadable;

  public List<Arrival> arrivals() {
    return arrivals;
  }

  public List<Dispatch> dispatches() {
    return dispatches;
  }

  public List<Done> outcomes() {
    return outcomes;
  }

  /** Every integer counter of the scheduling metrics records, summed (new counters included). */
  public Map<String, Long> metricTotals() {
    return metricTotals;
  }

  /** The scheduler subtasks' load reports, as the held DEFERRABLE backlog over time. */
  public List<Held> held() {
    return held;
  }

  /** A load-topic record: a scheduler subtask's is kept as its held backlog; sidecars' are not. */
  public void addLoad(byte[] value) {
    JsonNode n = tree(value);
    if (n != null && "scheduler".equals(n.path("kind").asText())) held.add(Held.of(n));
  }

  /** Scheduling decision records by {@code decision (reason)}. */
  public Map<String, Long> decisions() {
    return decisions;
  }

  /** A decisions-topic record: counted by decision and reason. */
  public void addDecision(byte[] value) {
    JsonNode n = tree(value, "decision");
    if (n == null) return;
    String reason = n.path("reason").asText("");
    String key = n.get("decision").asText() + (reason.isEmpty() ? "" : " (" + reason + ")");
    decisions.merge(key, 1L, Long::sum);
  }

  public long unreadable() {
    return unreadable;
  }

  /** A DurableQ record: first attempts only (retries come back with attempt + 1), no cancels. */
  public void addDurableQ(byte[] value) {
    JsonNode n = tree(value);
    if (n == null) return;
    if (n.path("kind").asText("invoke").equals("cancel") || n.path("attempt").asInt(1) != 1) return;
    arrivals.add(Arrival.of(n));
  }

  /** A RunQ record: the invocation as dispatched. */
  public void addRunQ(byte[] value) {
    JsonNode n = tree(value, "dispatchedAt");
    if (n != null) dispatches.add(Dispatch.of(n));
  }

  /** An outcomes record. */
  public void addOutcome(byte[] value) {
    JsonNode n = tree(value, "status");
    if (n != null) outcomes.add(Done.of(n));
  }

  /** A scheduling metrics record: its counters are added to the totals. */
  public void addMetrics(byte[] value) {
    JsonNode n = tree(value);
    if (n == null) return;
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getValue().isIntegralNumber()) continue;
      if (NOT_COUNTERS.stream().anyMatch(f.getKey()::startsWith)) continue;
      metricTotals.merge(f.getKey(), f.getValue().asLong(), Long::sum);
    }
  }

  /** The record's object, null when it lacks {@code field} (or is unreadable, counted). */
  private JsonNode tree(byte[] value, String field) {
    JsonNode n = tree(value);
    return n != null && n.hasNonNull(field) ? n : null;
  }

  private JsonNode tree(byte[] value) {
    if (value == null) return null;
    try {
      JsonNode n = Json.MAPPER.readTree(value);
      if (n != null && n.isObject()) return n;
    } catch (IOException e) {
      // counted below
    }
    unreadable++;
    return null;
  }

  private static Long optionalLong(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asLong() : null;
  }

  private static Criticality criticality(JsonNode n) {
    return Criticality.valueOf(n.path("criticality").asText("NORMAL").toUpperCase(Locale.ROOT));
  }
}
