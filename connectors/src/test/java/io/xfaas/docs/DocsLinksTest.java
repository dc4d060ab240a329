package io.xfaas.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link in README.md and docs/*.md resolves, anchors included. */
class DocsLinksTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /**
   * docs/configuration.md is generated from the option list by another change; until both are
   * merged a link to it may dangle. This is the only file allowed to be missing.
   */
  private static final Path GENERATED_CONFIGURATION = ROOT.resolve("docs/configuration.md");

  @Test
  void everyRelativeLinkInTheReadmeAndTheDocsResolves() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    // The checker must have had something to check: the README and the docs' pages.
    assertThat(files)
        .contains(
            ROOT.resolve("docs/README.md"),
            ROOT.resolve("docs/contract.md"),
            ROOT.resolve("docs/scheduler.md"));

    List<MarkdownLinks.Broken> broken =
        new MarkdownLinks(GENERATED_CONFIGURATION::equals).check(files);

    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void theReadmeLinksToEveryDocsPage() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      List<String> pages =
          docs.map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".md") && !n.equals("README.md"))
              .toList();
      assertThat(pages).isNotEmpty();
      for (String page : pages) {
        assertThat(readme).as("README links to docs/" + page).contains("(docs/" + page);
      }
    }
  }

  @Test
  void aMissingFileAndAMissingHeadingAreReported(@TempDir Path dir) throws IOException {
    Path page = dir.resolve("page.md");
    Files.writeString(
        dir.resolve("other.md"), "# Other page\n\n## Dead letters: `xfaas dlq`\n\n## Setup\n");
    writePage(
        page,
        "# Page",
        "",
        "[fine](other.md), [fine too](other.md#dead-letters-xfaas-dlq),",
        "[no such file](missing.md) and [no such heading](other.md#set-up).",
        "[here](#page) and [not here](#nowhere), ![image](pic.png)",
        "[ref]: ./gone/",
        "");

    List<MarkdownLinks.Broken> broken = new MarkdownLinks(p -> false).check(List.of(page));

    assertThat(broken)
        .extracting(MarkdownLinks.Broken::line, MarkdownLinks.Broken::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(4, "missing.md"),
            org.assertj.core.groups.Tuple.tuple(4, "other.md#set-up"),
            org.assertj.core.groups.Tuple.tuple(5, "#nowhere"),
            org.assertj.core.groups.Tuple.tuple(5, "pic.png"),
            org.assertj.core.groups.Tuple.tuple(6, "./gone/"));
  }

  @Test
  void codeExternalLinksFoldersAndAllowedMissingFilesAreNotReported(@TempDir Path dir)
      throws IOException {
    Files.createDirectories(dir.resolve("sql/queries"));
    Path page = dir.resolve("page.md");
    writePage(
        page,
        "# Page",
        "",
        "```bash",
        "echo '[not a link](nowhere.md)'",
        "```",
        "`[not a link](nowhere.md)` and [a site](https://example.org/x.md)",
        "[a folder](sql/queries/), [generated](configuration.md#anything)",
        "");

    List<MarkdownLinks.Broken> broken =
        new MarkdownLinks(dir.resolve("configuration.md")::equals).check(List.of(page));

    assertThat(broken).isEmpty();
  }

  @Test
  void anchorsAreGithubSlugsNumberedWhenRepeated(@TempDir Path dir) throws IOException {
    Path page = dir.resolve("page.md");
    writePage(
        page,
        "# The scheduler: FuncBuffer and closed loop",
        "## How the scheduler decides (the FuncBuffer)",
        "### Per-function pacing (AIMD with slow start)",
        "## Results",
        "## Results",
        "```",
        "# not a heading",
        "```",
        "## A [linked](x.md) *emphasised* snake_case heading ##",
        "");

    assertThat(MarkdownLinks.anchors(page))
        .containsExactly(
            "the-scheduler-funcbuffer-and-closed-loop",
            "how-the-scheduler-decides-the-funcbuffer",
            "per-function-pacing-aimd-with-slow-start",
            "results",
            "results-1",
            "a-linked-emphasised-snake_case-heading");
  }

  /** Writes a Markdown page of {@code lines}. */
  private static void writePage(Path page, String... lines) throws IOException {
    Files.writeString(page, String.join("\n", lines));
  }
}
