package io.xfaas.dlq;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xfaas.serde.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The redrive audit as read from its compacted topic: one {@link RedriveEntry} per redriven DLQ
 * record (key {@code topic/partition/offset}) and one {@link RedriveRun} per run (key {@code
 * run/<runId>}). Records that cannot be read are ignored; the latest value per key wins, and a
 * tombstone removes the key.
 */
public final class RedriveAudit {
  /** The key prefix of run summaries. */
  public static final String RUN_PREFIX = "run/";

  private static final ObjectMapper MAPPER = Json.MAPPER;

  private final Map<String, RedriveEntry> entries = new LinkedHashMap<>();
  private final Map<String, RedriveRun> runs = new LinkedHashMap<>();

  /** Applies one audit-topic record. */
  public void fold(byte[] key, byte[] value) {
    if (key == null) return;
    String k = new String(key, StandardCharsets.UTF_8);
    boolean run = k.startsWith(RUN_PREFIX);
    if (value == null) {
      if (run) runs.remove(k.substring(RUN_PREFIX.length()));
      else entries.remove(k);
      return;
    }
    try {
      if (run) {
        RedriveRun r = MAPPER.readValue(value, RedriveRun.class);
        runs.put(k.substring(RUN_PREFIX.length()), r);
      } else {
        entries.put(k, MAPPER.readValue(value, RedriveEntry.class));
      }
    } catch (IOException e) {
      // Not ours, or from a newer version we cannot read: it redrove nothing we know of.
    }
  }

  /** The audit keys of every DLQ record already redriven. */
  public Set<String> redrivenKeys() {
    return entries.keySet();
  }

  public Map<String, RedriveEntry> entries() {
    return entries;
  }

  /** The runs, oldest first. */
  public List<RedriveRun> runs() {
    List<RedriveRun> all = new ArrayList<>(runs.values());
    all.sort(Comparator.comparingLong(RedriveRun::when));
    return all;
  }

  public static byte[] runKey(String runId) {
    return (RUN_PREFIX + runId).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] entryKey(String auditKey) {
    return auditKey.getBytes(StandardCharsets.UTF_8);
  }
}
