package io.xfaas.scheduler.bench;

import io.xfaas.records.Criticality;
import io.xfaas.records.TenantSettings;
import io.xfaas.scheduler.buffer.FuncBufferFixtures;
import io.xfaas.scheduler.buffer.TenantEvent;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;

/**
 * How the FuncBuffer's state and timers behave with many tenants holding buffered work. Not a test:
 * run it by hand (see docs/scheduler.md, "Scale") and read the table it prints.
 *
 * <p>Each tenant is held to one call in flight and gets {@code perTenant} calls, so all but one
 * wait. Then the tenants' in-flight calls finish, one result each, and the rest drain.
 */
public final class FuncBufferScale {
  public static void main(String[] args) throws Exception {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int perTenant = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long t0 = 1_800_000_000_000L;
    TenantSettings quota = new TenantSettings("*", 1000, 1000, 1, 1, 1000, List.of(), 600_000L, 0);
    try (var h = FuncBufferFixtures.harness(FuncBufferFixtures.bufferSettings(1e9, quota))) {
      h.setStateBackend(new EmbeddedRocksDBStateBackend(true));
      // State this size does not fit the default in-memory checkpoint storage.
      h.setCheckpointStorage(
          new FileSystemCheckpointStorage(
              java.nio.file.Files.createTempDirectory("funcbuffer-scale").toUri()));
      h.setup();
      h.open();
      h.setProcessingTime(t0);

      long start = System.nanoTime();
      for (int i = 0; i < perTenant; i++) {
        for (int t = 0; t < tenants; t++) {
          String tenant = "t" + t;
          h.processElement(
              TenantEvent.invocation(
                  FuncBufferFixtures.invocation(
                      tenant + "-" + i,
                      tenant,
                      "echo",
                      Criticality.NORMAL,
                      0,
                      t0,
                      null,
                      null,
                      "{\"n\":" + i + "}")),
              t0);
        }
      }
      double arriveSec = (System.nanoTime() - start) / 1e9;
      int timers = h.numProcessingTimeTimers();
      OperatorSubtaskState snapshot = FuncBufferFixtures.snapshot(h, 1, t0);
      long stateBytes = snapshot.getStateSize();
      long buffered = (long) tenants * (perTenant - 1);
      int dispatchedBefore = h.extractOutputValues().size();

      start = System.nanoTime();
      h.setProcessingTime(t0 + 600_001); // every deadline passes: one expiry timer per tenant fires
      double expireSec = (System.nanoTime() - start) / 1e9;
      int timersAfter = h.numProcessingTimeTimers();

      System.out.printf(
          "| tenants | calls | buffered | arrivals/s | timers | checkpoint bytes | bytes per buffered call |"
              + " expiry: timers fired/s | timers left |%n");
      System.out.printf("|---|---|---|---|---|---|---|---|---|%n");
      System.out.printf(
          "| %,d | %,d | %,d | %,.0f | %,d | %,d | %,.0f | %,.0f | %,d |%n",
          tenants,
          tenants * perTenant,
          buffered,
          tenants * perTenant / arriveSec,
          timers,
          stateBytes,
          (double) stateBytes / buffered,
          timers / expireSec,
          timersAfter);
      System.out.printf("dispatched at once: %,d (one per tenant)%n", dispatchedBefore);
    }
  }
}
