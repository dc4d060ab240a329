package io.xfaas.scheduler.operators;

import io.xfaas.scheduler.buffer.FuncBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * What a FuncBuffer subtask keeps beside its tenants' keyed state, as operator state: the open
 * metrics periods, the time-shifting controller's profile and held plan, and the calls waiting by
 * criticality (its load reports' backlog). Each is packed by the class that owns it; this one only
 * stores them at a checkpoint and hands them back after a restore.
 */
final class SubtaskState {
  private final ListState<byte[]> periods;
  private final ListState<byte[]> profile;
  private final ListState<byte[]> waiting;
  private List<byte[]> restoredPeriods;
  private List<byte[]> restoredProfile;
  private List<byte[]> restoredWaiting;

  private SubtaskState(FunctionInitializationContext context) throws Exception {
    periods = bytesState(context, "metrics-periods");
    profile = bytesState(context, "timeshift-profile");
    waiting = bytesState(context, "subtask-waiting");
    restoredPeriods = restored(context, periods);
    restoredProfile = restored(context, profile);
    restoredWaiting = restored(context, waiting);
  }

  static SubtaskState initialize(FunctionInitializationContext context) throws Exception {
    return new SubtaskState(context);
  }

  /** Hands what was restored to the new {@code buffer} (once: it is dropped after). */
  void restoreInto(FuncBuffer buffer, TaskInfo task) {
    if (!restoredPeriods.isEmpty()) buffer.metrics().restore(restoredPeriods);
    // One profile per subtask; after a rescale a subtask starts from one of the old ones.
    if (!restoredProfile.isEmpty()) buffer.utilization().restoreProfile(restoredProfile.get(0));
    long[] counts =
        WaitingCounts.find(
            restoredWaiting, task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks());
    if (counts != null) buffer.restoreWaiting(counts);
    restoredPeriods = List.of();
    restoredProfile = List.of();
    restoredWaiting = List.of();
  }

  void snapshot(FuncBuffer buffer, TaskInfo task) throws Exception {
    periods.update(List.of(buffer.metrics().snapshotBytes()));
    profile.update(List.of(buffer.utilization().profileBytes()));
    waiting.update(
        List.of(
            WaitingCounts.pack(
                task.getIndexOfThisSubtask(),
                task.getNumberOfParallelSubtasks(),
                buffer.waitingCounts())));
  }

  private static ListState<byte[]> bytesState(FunctionInitializationContext context, String name)
      throws Exception {
    return context
        .getOperatorStateStore()
        .getListState(
            new ListStateDescriptor<>(name, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
  }

  private static List<byte[]> restored(
      FunctionInitializationContext context, ListState<byte[]> state) throws Exception {
    List<byte[]> out = new ArrayList<>();
    if (context.isRestored()) for (byte[] b : state.get()) out.add(b);
    return out;
  }
}
