package io.xfaas.cli;

import java.util.ArrayList;
import java.util.List;

/** The tables the commands print: columns aligned with spaces. */
final class TextTable {
  private TextTable() {}

  /** Rows as aligned text lines; the last column is not padded. */
  static List<String> aligned(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) line.append(" ".repeat(width[i] - row[i].length() + 2));
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
