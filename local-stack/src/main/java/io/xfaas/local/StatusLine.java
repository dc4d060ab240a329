package io.xfaas.local;

import java.util.Locale;

/** Formats a snapshot as one status line, each count with its rate since the previous snapshot. */
public final class StatusLine {
  private StatusLine() {}

  public static String format(StatusSnapshot now, StatusSnapshot before) {
    double seconds = Math.max(1, now.atMillis() - before.atMillis()) / 1000.0;
    StringBuilder line = new StringBuilder();
    append(line, "submitted", now.submitted(), before.submitted(), seconds, false);
    // Buffered is a level, not a total: its rate is how fast the backlog grows or shrinks.
    append(line, "buffered", now.buffered(), before.buffered(), seconds, true);
    append(line, "dispatched", now.dispatched(), before.dispatched(), seconds, false);
    append(line, "succeeded", now.succeeded(), before.succeeded(), seconds, false);
    append(line, "failed", now.failed(), before.failed(), seconds, false);
    append(line, "expired", now.expired(), before.expired(), seconds, false);
    append(line, "dlq", now.deadLetters(), before.deadLetters(), seconds, false);
    if (now.unreadable() > 0) line.append(" | unreadable ").append(now.unreadable());
    return line.toString();
  }

  private static void append(
      StringBuilder line, String name, long now, long before, double seconds, boolean signed) {
    if (line.length() > 0) line.append(" | ");
    double rate = (now - before) / seconds;
    line.append(name)
        .append(' ')
        .append(now)
        .append(String.format(Locale.ROOT, signed ? " (%+.1f/s)" : " (%.1f/s)", rate));
  }
}
