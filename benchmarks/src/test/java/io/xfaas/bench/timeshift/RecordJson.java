package io.xfaas.bench.timeshift;

import java.nio.charset.StandardCharsets;

/** The topics' records as raw JSON, the way the benchmark reads them back, for the tests. */
final class RecordJson {
  private RecordJson() {}

  static byte[] json(String format, Object... args) {
    return String.format(format, args).getBytes(StandardCharsets.UTF_8);
  }

  /** A DEFERRABLE first attempt on DurableQ that emulates {@code runMs}. */
  static byte[] deferrable(String id, long submittedAt, long deadline, long runMs) {
    return json(
        "{\"id\":\"%s\",\"criticality\":\"DEFERRABLE\",\"submittedAt\":%d,\"deadline\":%d,"
            + "\"payload\":{\"runMs\":%d,\"scale\":1.0}}",
        id, submittedAt, deadline, runMs);
  }

  /** A DEFERRABLE call's terminal outcome. */
  static byte[] outcome(String id, String status, long submittedAt, long finishedAt) {
    return json(
        "{\"id\":\"%s\",\"criticality\":\"DEFERRABLE\",\"status\":\"%s\",\"submittedAt\":%d,"
            + "\"finishedAt\":%d}",
        id, status, submittedAt, finishedAt);
  }

  /** A scheduler subtask's load report: its held DEFERRABLE backlog and its controller's level. */
  static byte[] load(String reporter, long at, long held, double levelRate) {
    return json(
        "{\"kind\":\"scheduler\",\"reporter\":\"%s\",\"reportedAt\":%d,"
            + "\"backlogDeferrable\":%d,\"levelRate\":%s}",
        reporter, at, held, levelRate);
  }
}
