package io.xfaas.faults;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Samples this JVM's heap (the MiniCluster's TaskManager runs in it) twice a second: the most used
 * at once, and the most the old generation held right after a collection, which is what stays live.
 * The second is the one a leak or an unbounded backlog on the heap would grow.
 */
final class HeapWatch implements AutoCloseable {
  private final Thread thread;
  private volatile boolean stop;
  private volatile long maxUsed;
  private volatile long maxLiveAfterGc;

  HeapWatch() {
    thread = new Thread(this::loop, "heap-watch");
    thread.setDaemon(true);
  }

  HeapWatch start() {
    thread.start();
    return this;
  }

  private void loop() {
    while (!stop) {
      sample();
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void sample() {
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    maxUsed = Math.max(maxUsed, used);
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage after = pool.getCollectionUsage();
      if (pool.getType() == MemoryType.HEAP && after != null && isOld(pool.getName())) {
        maxLiveAfterGc = Math.max(maxLiveAfterGc, after.getUsed());
      }
    }
  }

  private static boolean isOld(String pool) {
    return pool.contains("Old") || pool.contains("Tenured");
  }

  long maxUsed() {
    return maxUsed;
  }

  long maxLiveAfterGc() {
    return maxLiveAfterGc;
  }

  static long maxHeap() {
    return Runtime.getRuntime().maxMemory();
  }

  String describe() {
    return String.format(
        "heap: at most %d MiB used, at most %d MiB live in the old generation after a collection,"
            + " of %d MiB",
        maxUsed >> 20, maxLiveAfterGc >> 20, maxHeap() >> 20);
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
  }
}
