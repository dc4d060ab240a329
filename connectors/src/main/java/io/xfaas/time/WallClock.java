package io.xfaas.time;

import java.io.Serializable;

/**
 * Wall-clock time in epoch milliseconds. Scheduling is wall-clock by nature; operators take a
 * WallClock so tests can drive time.
 */
@FunctionalInterface
public interface WallClock extends Serializable {
  WallClock SYSTEM = System::currentTimeMillis;

  long now();
}
