package io.xfaas.testing;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Sink V2 that keeps what it is given in a list the whole JVM shares (the MiniCluster runs in the
 * test's JVM), for the test to read once the job has ended, as flink-cookbook's tests do.
 */
public final class CollectingSink<T> implements Sink<T> {
  private static final Map<String, List<Object>> LISTS = new ConcurrentHashMap<>();

  private final String name = UUID.randomUUID().toString();

  public CollectingSink() {
    LISTS.put(name, new CopyOnWriteArrayList<>());
  }

  /** What the job wrote, in arrival order. */
  @SuppressWarnings("unchecked")
  public List<T> values() {
    return List.copyOf((List<T>) (List<?>) LISTS.get(name));
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    List<Object> list = LISTS.get(name);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context context) {
        list.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
