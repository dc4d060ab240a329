package io.xfaas.config;

import java.util.List;
import java.util.Optional;

/**
 * A typed, documented configuration key, in the manner of Flink's {@code ConfigOption}:
 *
 * <pre>{@code
 * XfaasOption<Integer> THREADS = option("xfaas.sidecar.threads", INT, 8, "...").atLeast(1);
 * XfaasOption<Duration> TIMEOUT =
 *     option("xfaas.sidecar.call-timeout", DURATION, Duration.ofSeconds(30), "...")
 *         .withLegacyMsKey(); // also xfaas.sidecar.call-timeout-ms
 * }</pre>
 *
 * {@link XfaasConfig#get} returns the value parsed once, with the option's type. A string default
 * may name {@code ${xfaas.region}}, which is replaced by the configured region. A deprecated key is
 * still accepted for the option (the {@code -ms} keys of durations, whose bare numbers are
 * milliseconds).
 *
 * @param min the lowest value accepted; null: no bound
 * @param max the highest value accepted; null: no bound
 * @param oldKey a deprecated key also accepted; null: none
 */
public record XfaasOption<T>(
    String key,
    OptionType<T> type,
    T defaultValue,
    String description,
    T min,
    T max,
    String oldKey) {

  public XfaasOption {
    String problem = rangeProblem(type, defaultValue, min, max);
    if (problem != null) throw new IllegalArgumentException(key + ": default " + problem);
  }

  /** An option of {@code type}: one of {@link OptionType}'s constants, as the docs name it. */
  public static <T> XfaasOption<T> option(
      String key, OptionType<T> type, T defaultValue, String description) {
    return new XfaasOption<>(key, type, defaultValue, description, null, null, null);
  }

  public static <E extends Enum<E>> XfaasOption<E> enumOption(
      String key, Class<E> type, E def, String description) {
    return option(key, OptionType.enumType(type), def, description);
  }

  public static XfaasOption<List<String>> listOption(
      String key, List<String> def, String description) {
    return option(key, OptionType.LIST, List.copyOf(def), description);
  }

  /** This option, refusing values below {@code min}. */
  public XfaasOption<T> atLeast(T min) {
    return new XfaasOption<>(key, type, defaultValue, description, min, max, oldKey);
  }

  /** This option, refusing values outside {@code [min, max]}. */
  public XfaasOption<T> between(T min, T max) {
    return new XfaasOption<>(key, type, defaultValue, description, min, max, oldKey);
  }

  /** This option, also set by {@code oldKey} (an old name that files and scripts may still use). */
  public XfaasOption<T> withDeprecatedKey(String oldKey) {
    return new XfaasOption<>(key, type, defaultValue, description, min, max, oldKey);
  }

  /**
   * This duration option, also set by its old key, this one's with {@code -ms} appended, where a
   * bare number is milliseconds (as the options' {@code -ms} keys always were).
   */
  public XfaasOption<T> withLegacyMsKey() {
    return withDeprecatedKey(key + "-ms");
  }

  /** The default as it is written in a properties file. */
  public String defaultText() {
    return type.format(defaultValue);
  }

  public Optional<String> deprecatedKey() {
    return Optional.ofNullable(oldKey);
  }

  /** The range this option accepts, such as {@code >= 1} or {@code from 0 to 1}; empty for any. */
  public String range() {
    return range(type, min, max);
  }

  private static <T> String range(OptionType<T> type, T min, T max) {
    if (min != null && max != null) return "from " + type.format(min) + " to " + type.format(max);
    if (min != null) return ">= " + type.format(min);
    return "";
  }

  /** The value {@code text} stands for; {@code givenAs} is the key the user wrote it under. */
  public T parse(String givenAs, String text) {
    T value;
    try {
      value = type.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          givenAs + ": '" + text + "' is not " + type.what() + "; use " + type.accepted(), e);
    }
    String problem = rangeProblem(type, value, min, max);
    if (problem != null) {
      throw new IllegalArgumentException(givenAs + ": '" + text + "' " + problem);
    }
    return value;
  }

  /** Writes a value of this option as it would be read back. */
  public String format(T value) {
    return type.format(value);
  }

  @SuppressWarnings("unchecked")
  private static <T> String rangeProblem(OptionType<T> type, T value, T min, T max) {
    boolean low = min != null && ((Comparable<T>) min).compareTo(value) > 0;
    boolean high = max != null && ((Comparable<T>) max).compareTo(value) < 0;
    return low || high ? "is out of range; use " + type.what() + " " + range(type, min, max) : null;
  }

  @Override
  public String toString() {
    return key;
  }
}
