package io.xfaas.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --from}, {@code --to} and {@code --timeout}: which of the region's recorded calls a
 * command reads from its topics, by submission time, and how long it waits for each topic (a
 * picocli mixin of {@code xfaas audit} and {@code xfaas whatif --history}).
 */
final class RegionHistoryOptions {
  @Option(
      names = "--from",
      paramLabel = "TIME",
      description =
          "Only calls submitted at or after TIME: an ISO instant (2026-01-31T12:00:00Z), epoch ms,"
              + " or a duration ago (10m, 2h) (default: the topic's beginning).")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "Only calls submitted before TIME, in the same forms as --from (default: now).")
  String to;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description = "Longest wait to read each topic to its end (default: ${DEFAULT-VALUE}).")
  String timeout;

  /** {@code --from} in epoch ms, durations taken back from {@code now}; null when not given. */
  Long fromMs(long now) {
    return time(from, now);
  }

  /** {@code --to} in epoch ms, durations taken back from {@code now}; null when not given. */
  Long toMs(long now) {
    return time(to, now);
  }

  /** {@code --timeout}; a usage error of {@code cli} if it is not a duration. */
  Duration readTimeout(CommandLine cli) {
    return Duration.ofMillis(Durations.ofOption(timeout, "--timeout", cli));
  }

  /**
   * An ISO instant, epoch ms, or a duration before {@code now}; null for null.
   *
   * @throws IllegalArgumentException for anything else
   */
  static Long time(String text, long now) {
    if (text == null || text.isBlank()) return null;
    String t = text.trim();
    if (t.chars().allMatch(Character::isDigit)) return Long.parseLong(t);
    try {
      return Instant.parse(t).toEpochMilli();
    } catch (DateTimeParseException notAnInstant) {
      try {
        return now - Durations.parseOrNone(t).orElseThrow();
      } catch (RuntimeException notADuration) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a time: an ISO instant, epoch ms or a duration ago (10m)");
      }
    }
  }
}
