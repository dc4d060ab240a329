package io.xfaas.scheduler.buffer;

import io.xfaas.records.FunctionFeedback;

/**
 * What every scheduler subtask hears (the broadcast input of the FuncBuffer): exactly one of a
 * tenant's new settings or one sidecar's feedback on one function.
 */
public record ControlEvent(TenantConfigUpdate config, FunctionFeedback feedback) {
  public static ControlEvent config(TenantConfigUpdate update) {
    return new ControlEvent(update, null);
  }

  public static ControlEvent feedback(FunctionFeedback feedback) {
    return new ControlEvent(null, feedback);
  }
}
