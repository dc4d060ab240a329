package io.xfaas.scheduler.buffer;

import java.io.IOException;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed value state read at most once and written at most once per event: the FuncBuffer reads
 * and updates its counters several times while handling one event, and every RocksDB access costs a
 * JNI call and a (de)serialization. {@link #flush()} must run before the current key changes (at
 * the end of each {@code processElement} and {@code onTimer}).
 */
public final class CachedValue<T> {
  private final ValueState<T> state;
  private T value;
  private boolean loaded;
  private boolean dirty;

  public CachedValue(ValueState<T> state) {
    this.state = state;
  }

  public T value() throws IOException {
    if (!loaded) {
      value = state.value();
      loaded = true;
    }
    return value;
  }

  public void update(T v) {
    value = v;
    loaded = true;
    dirty = true;
  }

  public void clear() {
    update(null);
  }

  /** Writes a changed value back, and forgets it: the next key reads its own. */
  public void flush() throws IOException {
    if (dirty) {
      if (value == null) state.clear();
      else state.update(value);
    }
    value = null;
    loaded = false;
    dirty = false;
  }
}
