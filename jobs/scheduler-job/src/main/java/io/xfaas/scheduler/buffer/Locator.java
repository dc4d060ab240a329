package io.xfaas.scheduler.buffer;

import java.util.Arrays;

/** Where a waiting call is: its {@link TenantQueue.Place} as one byte, then its key there. */
public final class Locator {
  private static final TenantQueue.Place[] PLACES = TenantQueue.Place.values();

  private Locator() {}

  public static byte[] of(TenantQueue.Place place, byte[] key) {
    byte[] l = new byte[key.length + 1];
    l[0] = (byte) place.ordinal();
    System.arraycopy(key, 0, l, 1, key.length);
    return l;
  }

  public static TenantQueue.Place place(byte[] locator) {
    return PLACES[locator[0]];
  }

  public static byte[] key(byte[] locator) {
    return Arrays.copyOfRange(locator, 1, locator.length);
  }
}
