package io.xfaas.sidecar;

import io.xfaas.config.XfaasConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@link SidecarMain}: {@code [--config FILE] [-Dxfaas.key=value ...]}.
 *
 * @param configFile the properties file, or null for the defaults
 * @param overrides {@code -D} settings, applied over the file
 * @param help whether {@code --help} was asked for
 */
record SidecarArgs(Path configFile, Map<String, String> overrides, boolean help) {

  static final String USAGE =
      "usage: SidecarMain [--config FILE] [-Dxfaas.key=value ...]\n"
          + "  --config FILE       properties file (see flink-conf/xfaas.properties)\n"
          + "  -Dxfaas.key=value   overrides one option; repeatable\n"
          + "  --help              prints this";

  /**
   * @throws IllegalArgumentException on anything else, with a message naming the argument
   */
  static SidecarArgs parse(List<String> args) {
    Path file = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--help") || a.equals("-h")) {
        help = true;
      } else if (a.equals("--config")) {
        if (i + 1 >= args.size()) throw new IllegalArgumentException("--config needs a file");
        file = Path.of(args.get(++i));
      } else if (a.startsWith("-D")) {
        String pair = a.substring(2);
        int eq = pair.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("expected -Dkey=value, got '" + a + "'");
        overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
      } else {
        throw new IllegalArgumentException("unexpected argument '" + a + "'");
      }
    }
    return new SidecarArgs(file, Map.copyOf(overrides), help);
  }

  /** The configuration: defaults, then the file, then the overrides. */
  XfaasConfig config() {
    return XfaasConfig.load(configFile, overrides);
  }
}
