package io.xfaas.scheduler.sim;

import java.util.List;

/** A markdown table from rows of cells, the first row its header. */
final class MarkdownTable {
  private MarkdownTable() {}

  static void append(StringBuilder md, List<String[]> rows) {
    for (int r = 0; r < rows.size(); r++) {
      md.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
      if (r == 0) md.append("|---".repeat(rows.get(0).length)).append("|\n");
    }
  }
}
