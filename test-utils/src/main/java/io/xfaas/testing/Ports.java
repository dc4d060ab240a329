package io.xfaas.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free local ports, for the servers and processes a test starts. */
public final class Ports {
  private Ports() {}

  /** A port nothing listens on now (the OS's pick); free until someone binds it. */
  public static int free() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
