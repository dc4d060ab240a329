package io.xfaas.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The type of a configuration value: how its text is parsed and written back, and what a user may
 * write. {@link #parse} throws on bad text; {@link XfaasOption#parse} turns that into a message
 * that names the key, the value and {@link #accepted}.
 *
 * @param name the type as the configuration docs show it
 * @param what what a bad value is not ("a duration")
 * @param accepted what to write instead
 */
public record OptionType<T>(
    String name,
    String what,
    String accepted,
    Function<String, T> parser,
    Function<T, String> formatter) {

  public static final OptionType<String> STRING =
      new OptionType<>(
          "string", "a string", "any text; ${xfaas.region} stands for the region", s -> s, s -> s);

  public static final OptionType<Integer> INT = wholeNumber("int", 8, Integer::parseInt);

  public static final OptionType<Long> LONG = wholeNumber("long", 10000L, Long::parseLong);

  public static final OptionType<Double> DOUBLE =
      new OptionType<>(
          "double",
          "a number",
          "a decimal number such as 0.5",
          OptionType::parseDouble,
          d -> BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());

  public static final OptionType<Boolean> BOOLEAN =
      new OptionType<>(
          "boolean", "a boolean", "true or false", OptionType::parseBoolean, String::valueOf);

  public static final OptionType<Duration> DURATION =
      new OptionType<>(
          "duration",
          "a duration",
          "a number with a unit: 500ms, 30s, 10m, 2h, 1d (a bare number is milliseconds)",
          OptionType::parseDuration,
          OptionType::formatDuration);

  /** Comma-separated; entries are trimmed and empty ones dropped, so an empty value is no entry. */
  public static final OptionType<List<String>> LIST =
      new OptionType<>(
          "list",
          "a list",
          "comma-separated entries: a,b,c (empty for none)",
          s -> Arrays.stream(s.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList(),
          l -> String.join(",", l));

  /** An enum written as its constants' names in lower case with dashes; case does not matter. */
  public static <E extends Enum<E>> OptionType<E> enumType(Class<E> type) {
    String names =
        Arrays.stream(type.getEnumConstants())
            .map(OptionType::enumText)
            .collect(Collectors.joining(", "));
    return new OptionType<>(
        "enum",
        "a known value",
        "one of " + names,
        s -> {
          for (E e : type.getEnumConstants()) {
            if (enumText(e).equalsIgnoreCase(s.trim().replace('_', '-'))) return e;
          }
          throw new IllegalArgumentException(s);
        },
        OptionType::enumText);
  }

  /** INT and LONG: the same words to the user, only the width and the example differ. */
  private static <T> OptionType<T> wholeNumber(String name, T example, Function<String, T> parse) {
    return new OptionType<>(
        name,
        "an integer",
        "a whole number such as " + example,
        s -> parse.apply(s.trim()),
        String::valueOf);
  }

  /** {@code DEFAULT_QUOTA} is written {@code default-quota}. */
  public static String enumText(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public T parse(String text) {
    return parser.apply(text);
  }

  public String format(T value) {
    return formatter.apply(value);
  }

  private static double parseDouble(String s) {
    double d = Double.parseDouble(s.trim());
    if (!Double.isFinite(d)) throw new NumberFormatException(s);
    return d;
  }

  private static boolean parseBoolean(String s) {
    if (s.trim().equalsIgnoreCase("true")) return true;
    if (s.trim().equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException(s);
  }

  private static final Pattern DURATION_TEXT =
      Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)?", Pattern.CASE_INSENSITIVE);

  private static Duration parseDuration(String s) {
    Matcher m = DURATION_TEXT.matcher(s.trim());
    if (!m.matches()) throw new IllegalArgumentException(s);
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2).toLowerCase(Locale.ROOT);
    Duration d =
        switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m", "min" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    d.toMillis(); // call sites work in milliseconds: refuse what does not fit
    return d;
  }

  /**
   * In its largest whole unit: {@code 2ms}, {@code 90s}, {@code 10m}, {@code 1d}; zero is {@code
   * 0}.
   */
  private static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) return "0";
    if (ms % 1000 != 0) return ms + "ms";
    long s = ms / 1000;
    if (s % 60 != 0) return s + "s";
    long m = s / 60;
    if (m % 60 != 0) return m + "m";
    long h = m / 60;
    if (h % 24 != 0) return h + "h";
    return h / 24 + "d";
  }
}
