package io.xfaas.scheduler.buffer;

/**
 * All a tenant's FuncBuffer keeps: its {@link TenantRecord}, the {@link CallEntry} of each id it
 * has seen, and its {@link TenantQueue}. The Flink implementation is scoped to the current key; a
 * heap one serves the policy's unit tests.
 */
public interface TenantStore {
  /** The tenant's record; an empty one when it has none. */
  TenantRecord load();

  /** Writes the record, or deletes it when it is empty. */
  void save(TenantRecord record);

  /** What is remembered of {@code id}; null when nothing. */
  CallEntry call(String id);

  void call(String id, CallEntry entry);

  TenantQueue queue();
}
