package io.xfaas.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@link XfaasOptions} as {@code docs/configuration.md} and as the shipped {@code
 * flink-conf/xfaas.properties}; {@link ConfigurationDocTest} compares both with the committed
 * files.
 */
final class ConfigurationDoc {
  private ConfigurationDoc() {}

  static final String REGENERATE =
      "mvn -pl connectors test -Dtest=ConfigurationDocTest -Dxfaas.docs.regenerate=true";

  static String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(
            "<!-- Generated from io.xfaas.config.XfaasOptions by ConfigurationDocTest; do not edit.\n")
        .append("     Regenerate: ")
        .append(REGENERATE)
        .append(" -->\n\n");
    md.append("# Configuration\n\n");
    md.append(
        """
        Every xfaas option with its type, default and meaning. A process resolves its \
        configuration in layers: the defaults below, then a properties file (`--config FILE`; \
        [`flink-conf/xfaas.properties`](../flink-conf/xfaas.properties) lists every option with \
        its default), then `-Dkey=value` or `--set key=value` arguments. An unknown `xfaas.*` key \
        is refused, and every value is parsed when the configuration is read: a bad one stops the \
        process with the key, the value and what the option accepts.

        ## Values

        | Type | Write |
        |---|---|
        """);
    valueForms()
        .forEach(
            (type, form) ->
                md.append("| ").append(type).append(" | ").append(cell(form)).append(" |\n"));
    md.append(
        """

        Durations used to be whole milliseconds under keys ending in `-ms` \
        (`xfaas.scheduler.checkpoint-interval-ms=1000`). Those keys still work, as the old key of \
        their option (listed with it below), and a bare number still means milliseconds. Give an \
        option under one key only: both in the same file or argument list is an error, while a \
        later layer (an argument over the file) replaces the value whichever key it uses.
        """);
    for (XfaasOptions.Section s : XfaasOptions.SECTIONS) {
      md.append("\n## ").append(s.title()).append("\n\n").append(s.intro()).append("\n\n");
      md.append("| Key | Type | Default | Description |\n|---|---|---|---|\n");
      for (XfaasOption<?> o : s.options()) {
        md.append("| `").append(o.key()).append("` | ").append(type(o)).append(" | ");
        md.append(o.defaultText().isEmpty() ? "(none)" : "`" + o.defaultText() + "`");
        md.append(" | ").append(cell(o.description()));
        o.deprecatedKey().ifPresent(k -> md.append(" Old key: `").append(k).append("`."));
        md.append(" |\n");
      }
    }
    return md.toString();
  }

  static String properties() {
    StringBuilder p = new StringBuilder();
    p.append(
        """
        # xfaas configuration: every option with its default. Generated from
        # io.xfaas.config.XfaasOptions (ConfigurationDocTest fails when this file is stale); the
        # options are explained in docs/configuration.md. Override in a copy of this file
        # (--config FILE) or per process with -Dkey=value. ${xfaas.region} stands for the region.
        # Durations take a unit (500ms, 30s, 10m, 2h, 1d); a bare number is milliseconds.
        """);
    for (XfaasOptions.Section s : XfaasOptions.SECTIONS) {
      p.append("\n# --- ").append(s.title()).append(" ---\n");
      for (XfaasOption<?> o : s.options()) {
        p.append("# ").append(o.description()).append('\n');
        p.append(o.key()).append('=').append(o.defaultText()).append('\n');
      }
    }
    return p.toString();
  }

  private static String type(XfaasOption<?> o) {
    String t = o.type().name();
    if (t.equals("enum")) t = o.type().accepted();
    return o.range().isEmpty() ? t : t + ", " + o.range();
  }

  /** What each type in use accepts, in a fixed order. */
  private static Map<String, String> valueForms() {
    Map<String, String> forms = new LinkedHashMap<>();
    for (OptionType<?> t :
        List.<OptionType<?>>of(
            OptionType.STRING,
            OptionType.INT,
            OptionType.LONG,
            OptionType.DOUBLE,
            OptionType.BOOLEAN,
            OptionType.DURATION,
            OptionType.LIST)) {
      forms.put(t.name(), t.accepted());
    }
    forms.put("enum", "one of the values its option lists, in any case: `reject`, `REJECT`");
    forms
        .keySet()
        .removeIf(name -> XfaasOptions.ALL.stream().noneMatch(o -> o.type().name().equals(name)));
    return forms;
  }

  /** Text safe in a Markdown table cell. */
  private static String cell(String s) {
    return s.replace("|", "\\|");
  }
}
