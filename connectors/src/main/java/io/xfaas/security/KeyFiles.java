package io.xfaas.security;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Reads the properties files that hold keys: the scheduler's signing keys, the tenant keys. */
final class KeyFiles {
  private KeyFiles() {}

  /**
   * The file's entries, read as UTF-8; one that cannot be read fails naming {@code what} and the
   * file.
   */
  static Properties read(Path file, String what) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + what + " file " + file, e);
    }
    return p;
  }
}
