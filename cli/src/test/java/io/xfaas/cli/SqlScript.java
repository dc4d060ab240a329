package io.xfaas.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shipped queries run by {@code xfaas sql -f} in one SQL client run, so that a JVM and a
 * MiniCluster start once for all of them.
 */
final class SqlScript {
  private SqlScript() {}

  /** Writes {@code queries} one after the other into {@code dir}/all-queries.sql; its path. */
  static Path concatenate(Path dir, List<Path> queries) throws IOException {
    Files.createDirectories(dir);
    StringBuilder all = new StringBuilder();
    for (Path q : queries) all.append(Files.readString(q)).append('\n');
    Path file = dir.resolve("all-queries.sql");
    Files.writeString(file, all);
    return file;
  }

  /**
   * {@code xfaas sql -f script CONNECTION...} with the repository's table definitions and the jars
   * the module's build put in target/, working in {@code dir}/work.
   */
  static String[] args(Path script, Path dir, String... connection) {
    List<String> args = new ArrayList<>(List.of("sql", "-f", script.toString()));
    args.addAll(List.of(connection));
    args.addAll(
        List.of(
            "--tables",
            "../sql/tables.sql",
            "--lib",
            "target/lib",
            "--sql-lib",
            "target/sql-lib",
            "--work-dir",
            dir.resolve("work").toString()));
    return args.toArray(String[]::new);
  }
}
