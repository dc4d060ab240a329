package io.xfaas.faults;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches this JVM's heap (the MiniCluster's TaskManager runs in it) through JMX: the most used at
 * once (sampled twice a second), and the most in use right after a garbage collection, young or
 * full (from each collection's notification), which is what stays live plus what the collector
 * left. The second is the one a leak or an unbounded backlog on the heap would grow. (The old
 * generation's own after-collection usage is no measure: a short run may see no old collection.)
 */
final class HeapWatch implements AutoCloseable {
  private final Thread thread;
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::collected;
  private final AtomicLong collections = new AtomicLong();
  private final AtomicLong maxAfterGc = new AtomicLong();
  private volatile boolean stop;
  private volatile long maxUsed;

  HeapWatch() {
    thread = new Thread(this::loop, "heap-watch");
    thread.setDaemon(true);
  }

  HeapWatch start() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
    thread.start();
    return this;
  }

  private void collected(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long after = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) after += e.getValue().getUsed();
    }
    collections.incrementAndGet();
    maxAfterGc.accumulateAndGet(after, Math::max);
  }

  private void loop() {
    while (!stop) {
      maxUsed =
          Math.max(maxUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  long maxUsed() {
    return maxUsed;
  }

  /** The most heap in use right after a collection; 0 before the first collection. */
  long maxLiveAfterGc() {
    return maxAfterGc.get();
  }

  long collections() {
    return collections.get();
  }

  static long maxHeap() {
    return Runtime.getRuntime().maxMemory();
  }

  String describe() {
    return String.format(
        "heap: at most %d MiB used, at most %d MiB in use right after a collection (%d"
            + " collections), of %d MiB",
        maxUsed >> 20, maxAfterGc.get() >> 20, collections.get(), maxHeap() >> 20);
  }

  @Override
  public void close() {
    stop = true;
    thread.interrupt();
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
  }
}
