package io.xfaas.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xfaas.config.XfaasConfig;
import io.xfaas.security.InvocationSigner;
import io.xfaas.serde.Json;
import io.xfaas.submit.InvalidInvocationException;
import io.xfaas.submit.SubmitterClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code xfaas submit}: sends invocations, one JSON object a line, to DurableQ, and prints the id
 * of each once Kafka has acknowledged it.
 */
@Command(
    name = "submit",
    description = {
      "Submits invocations, one JSON object per line, to the region's DurableQ.",
      "Prints each assigned id, or the error with its line number. Exit code 1 if any line was"
          + " invalid."
    })
final class SubmitCommand extends ConfiguredCommand {
  /** Lines sent before waiting for their acknowledgements and printing their ids. */
  private static final int WINDOW = 1000;

  @Mixin InvocationLinesOption input;

  @Option(
      names = "--tenant-keys",
      paramLabel = "FILE",
      description =
          "Signs each call with its tenant's key from this tenant keys file (xfaas keys tenant);"
              + " by default xfaas.security.tenant-keys-file, if set.")
  Path tenantKeys;

  /** A line handed to the producer, waiting for its acknowledgement. */
  private record Pending(int line, String id, CompletableFuture<RecordMetadata> ack) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int submitted = 0;
    int invalid = 0;
    int unacknowledged = 0;
    try (BufferedReader in = input.open();
        SubmitterClient client = client()) {
      List<Pending> pending = new ArrayList<>();
      String text;
      for (int line = 1; (text = in.readLine()) != null; line++) {
        if (text.isBlank()) continue;
        String json = withId(text);
        try {
          CompletableFuture<RecordMetadata> ack = client.submitJson(json);
          pending.add(new Pending(line, idOf(json), ack));
        } catch (InvalidInvocationException e) {
          invalid++;
          err.println("line " + line + ": " + e.getMessage());
          err.flush();
        }
        // Report in batches, and at once when input pauses (someone typing on stdin).
        if (pending.size() >= WINDOW || !in.ready()) {
          int acked = report(client, pending, out, err);
          submitted += acked;
          unacknowledged += pending.size() - acked;
          pending.clear();
        }
      }
      int acked = report(client, pending, out, err);
      submitted += acked;
      unacknowledged += pending.size() - acked;
    }
    out.println(
        "submitted "
            + submitted
            + ", invalid "
            + invalid
            + (unacknowledged > 0 ? ", not acknowledged " + unacknowledged : ""));
    out.flush();
    err.flush();
    if (unacknowledged > 0) return 2;
    return invalid > 0 ? 1 : 0;
  }

  private SubmitterClient client() {
    XfaasConfig config = configOptions.resolve();
    if (tenantKeys == null) return SubmitterClient.create(config);
    return SubmitterClient.create(config, Map.of(), InvocationSigner.load(tenantKeys));
  }

  /** Waits for the acknowledgements and prints ids in line order; returns how many were acked. */
  private static int report(
      SubmitterClient client, List<Pending> pending, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    client.flush();
    int acked = 0;
    for (Pending p : pending) {
      try {
        p.ack().get();
        out.println(p.id());
        acked++;
      } catch (ExecutionException e) {
        err.println("line " + p.line() + ": not acknowledged: " + e.getCause().getMessage());
      }
    }
    out.flush();
    return acked;
  }

  /**
   * The line with an id, so the id can be printed: the submitter would fill a missing one in, but
   * not tell which. Anything that is not a JSON object is left for the submitter to reject.
   */
  private static String withId(String line) {
    try {
      JsonNode node = Json.MAPPER.readTree(line);
      if (node instanceof ObjectNode obj && !obj.hasNonNull("id")) {
        obj.put("id", UUID.randomUUID().toString());
        return obj.toString();
      }
    } catch (IOException e) {
      // Not JSON: submitJson names the problem.
    }
    return line;
  }

  /** The id of a line the submitter accepted, so one that is a JSON object with an id. */
  private static String idOf(String json) throws IOException {
    return Json.MAPPER.readTree(json).path("id").asText();
  }
}
