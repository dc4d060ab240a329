package io.xfaas.serde;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xfaas.records.DeadLetter;
import io.xfaas.records.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one ObjectMapper, and the serde of the records that need no validation. */
public final class Json {
  /** Thread-safe once configured. Readers tolerate fields added by newer versions. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Json() {}

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      // Our own records always serialize; reaching here is a programming error.
      throw new UncheckedIOException(e);
    }
  }

  /** {@code value} as indented JSON, for people and scripts reading a report. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Outcome readOutcome(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, Outcome.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not an outcome: " + e.getMessage(), e);
    }
  }

  public static DeadLetter readDeadLetter(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, DeadLetter.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not a dead letter: " + e.getMessage(), e);
    }
  }
}
