package io.xfaas.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the relative links of Markdown files as GitHub resolves them: the target file or folder
 * exists, and a {@code #anchor} names a heading of the target (GitHub's slugs) or an explicit
 * {@code id}/{@code name}. Links inside fenced code blocks and code spans are not links; links with
 * a scheme ({@code https:}, {@code mailto:}) are not checked.
 */
final class MarkdownLinks {

  /** A link that does not resolve, where it is and why. */
  record Broken(Path file, int line, String target, String why) {
    @Override
    public String toString() {
      return file + ":" + line + ": (" + target + ") " + why;
    }
  }

  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(?:(?!\\1).)+?\\1");
  private static final Pattern INLINE_LINK =
      Pattern.compile("\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern REFERENCE_DEFINITION =
      Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");
  private static final Pattern HEADING =
      Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
  private static final Pattern HTML_ANCHOR =
      Pattern.compile("<[a-zA-Z][^>]*\\s(?:id|name)\\s*=\\s*\"([^\"]+)\"");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  private final Predicate<Path> mayBeMissing;
  private final Map<Path, Set<String>> anchorsByFile = new HashMap<>();

  /**
   * @param mayBeMissing files whose absence is not reported (links to them, anchors included, are
   *     then not checked); {@code p -> false} for none
   */
  MarkdownLinks(Predicate<Path> mayBeMissing) {
    this.mayBeMissing = mayBeMissing;
  }

  /** Every broken relative link in the given Markdown files. */
  List<Broken> check(List<Path> files) {
    List<Broken> broken = new ArrayList<>();
    for (Path file : files) {
      List<String> lines = read(file);
      boolean inFence = false;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (FENCE.matcher(line).find()) {
          inFence = !inFence;
          continue;
        }
        if (inFence) {
          continue;
        }
        for (String target : targets(line)) {
          String why = whyBroken(file, target);
          if (why != null) {
            broken.add(new Broken(file, i + 1, target, why));
          }
        }
      }
    }
    return broken;
  }

  /** The link targets written on one line outside code. */
  static List<String> targets(String line) {
    String text = CODE_SPAN.matcher(line).replaceAll("code");
    List<String> targets = new ArrayList<>();
    Matcher reference = REFERENCE_DEFINITION.matcher(text);
    if (reference.find()) {
      targets.add(reference.group(1));
    }
    Matcher inline = INLINE_LINK.matcher(text);
    while (inline.find()) {
      targets.add(inline.group(2));
    }
    return targets;
  }

  private String whyBroken(Path file, String target) {
    if (target.isEmpty() || SCHEME.matcher(target).find() || target.startsWith("//")) {
      return target.isEmpty() ? "empty link" : null;
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved =
        path.isEmpty() ? file : file.toAbsolutePath().getParent().resolve(path).normalize();
    if (!Files.exists(resolved)) {
      return mayBeMissing.test(resolved) ? null : "no such file: " + resolved;
    }
    if (anchor == null || anchor.isEmpty()) {
      return null;
    }
    if (Files.isDirectory(resolved) || !resolved.toString().endsWith(".md")) {
      return "an anchor into a file that is not Markdown";
    }
    Set<String> anchors = anchorsByFile.computeIfAbsent(resolved, MarkdownLinks::anchors);
    return anchors.contains(anchor) ? null : "no heading #" + anchor + " in " + resolved;
  }

  /** The anchors of a Markdown file: its headings' GitHub slugs and explicit HTML ids. */
  static Set<String> anchors(Path file) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inFence = false;
    for (String line : read(file)) {
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
        continue;
      }
      if (inFence) {
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug = slug(heading.group(1));
        int n = seen.merge(slug, 1, Integer::sum) - 1;
        anchors.add(n == 0 ? slug : slug + "-" + n);
      }
      Matcher html = HTML_ANCHOR.matcher(line);
      while (html.find()) {
        anchors.add(html.group(1));
      }
    }
    return anchors;
  }

  /**
   * GitHub's anchor for a heading: the rendered text in lower case, without punctuation other than
   * hyphens and underscores, spaces turned into hyphens (so "Dead letters: `xfaas dlq`" is {@code
   * dead-letters-xfaas-dlq}).
   */
  static String slug(String heading) {
    String rendered =
        heading
            .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link shows its text
            .replaceAll("<[^>]+>", "") // inline HTML shows nothing of its tags
            .replaceAll("(\\*\\*|__|\\*|(?<![\\p{L}\\p{N}])_|_(?![\\p{L}\\p{N}]))", "");
    return rendered
        .trim()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
        .replace(' ', '-');
  }

  private static List<String> read(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
