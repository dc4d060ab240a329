package io.xfaas.cli;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** Durations as people type them on the command line: {@code 500ms}, {@code 30s}, {@code 10m}. */
final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Milliseconds of a duration such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h} or
   * {@code 1d}, or empty for {@code none}.
   *
   * @throws IllegalArgumentException for anything else, zero, or an overflow
   */
  static OptionalLong parseOrNone(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("none")) return OptionalLong.empty();
    Matcher m = FORM.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: expected e.g. 500ms, 30s, 10m, 2h, 1d, or none");
    }
    long unit =
        switch (m.group(2)) {
          case "ms" -> 1L;
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          default -> 86_400_000L;
        };
    long ms;
    try {
      ms = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too long a duration");
    }
    if (ms <= 0) throw new IllegalArgumentException("a duration must be > 0, or none");
    return OptionalLong.of(ms);
  }

  /**
   * Milliseconds of the duration an option was given ({@code none} is not one).
   *
   * @throws ParameterException a usage error of {@code cli} that names the option
   */
  static long ofOption(String text, String option, CommandLine cli) {
    try {
      return parseOrNone(text)
          .orElseThrow(() -> new IllegalArgumentException(option + " needs a duration"));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, option + ": " + e.getMessage());
    }
  }

  /** The shortest exact form of {@code ms} in the units {@link #parseOrNone} reads. */
  static String format(long ms) {
    if (ms > 0) {
      if (ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
      if (ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
      if (ms % 60_000L == 0) return ms / 60_000L + "m";
      if (ms % 1_000L == 0) return ms / 1_000L + "s";
    }
    return ms + "ms";
  }
}
