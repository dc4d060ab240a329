package io.xfaas.scheduler.operators;

import io.xfaas.records.Invocation;
import io.xfaas.scheduler.buffer.ControlEvent;
import io.xfaas.scheduler.buffer.TenantEvent;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Flink's keyed broadcast operator around the {@link FuncBufferFunction}, plus what a function
 * cannot do: set the current key. It writes the tenants' cached records back to keyed state before
 * each checkpoint barrier, when the cache is full, and when the input ends, so keyed state is
 * complete in every snapshot while a busy tenant's record is written once per checkpoint.
 */
public final class FuncBufferOperator
    extends CoBroadcastWithKeyedOperator<String, TenantEvent, ControlEvent, Invocation> {
  private static final long serialVersionUID = 1L;
  private final FuncBufferFunction function;

  public FuncBufferOperator(FuncBufferFunction function) {
    super(function, List.of(FuncBufferFunction.SETTINGS));
    this.function = function;
  }

  @Override
  public void processElement1(StreamRecord<TenantEvent> element) throws Exception {
    super.processElement1(element);
    if (function.flushDue()) flush();
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    flush();
    super.prepareSnapshotPreBarrier(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  private void flush() throws Exception {
    function.flush(this::setCurrentKey);
  }
}
