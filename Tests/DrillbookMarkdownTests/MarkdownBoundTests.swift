import DrillbookMarkdown
import Testing

/// Texts cmark 0.30 parses in quadratic time are found by a linear pre-scan and rendered as
/// escaped plain text; every ordinary text still goes to cmark unchanged.
@Suite("Markdown hazards")
struct MarkdownBoundTests {
    let renderer = MarkdownRenderer()

    /// Seconds `body` takes, by the continuous clock.
    func seconds(_ body: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    // The pattern of CVE-2023-22486: 960 KB took 64 s to build before the pre-scan.
    @Test func imageOpenersRenderInLinearTime() {
        let text = String(repeating: "![[]()", count: 160_000)
        #expect(text.utf8.count == 960_000)
        var html = ""
        let elapsed = seconds { html = renderer.html(from: text) }
        // Generous for a debug build on a busy machine; cmark alone takes about a minute.
        #expect(elapsed < 5)
        #expect(html == "<p>" + text + "</p>\n")
        #expect(renderer.inlineHTML(from: text) == text)
        let hazard = MarkdownRenderer.hazard(in: text)
        #expect(hazard?.kind == .imageBrackets)
        #expect(hazard?.line == 1)
    }

    @Test func hazardMessageSaysWhatAndWhatToDo() {
        let text = String(repeating: "![[]()", count: 80_000)
        #expect(
            MarkdownRenderer.hazard(in: text)?.description
                == #"this Markdown has at least 5561 image openers ("![") in one paragraph with brackets closing after them, which cmark 0.30 parses in quadratic time; the site shows it as plain text. Give each "![" its "](url)", write "\![" for a literal one, or split the text into paragraphs"#
        )
        let later = "Intro\n\n" + text
        #expect(MarkdownRenderer.hazard(in: later)?.line == 3)
        #expect(MarkdownRenderer.hazard(in: later)?.description.contains("(line 3 of the text)") == true)
    }

    // The two loops cmark 0.31.0 made linear (GHSA-66g8-4hjf-77xh).
    @Test func deepNestingRendersInLinearTime() {
        let lists = String(repeating: "- ", count: 30_000) + "x" + String(repeating: "\n", count: 30_000)
        let quotes = String(repeating: ">", count: 100_000) + String(repeating: "a*", count: 100_000)
        for text in [lists, quotes] {
            var html = ""
            let elapsed = seconds { html = renderer.html(from: text) }
            #expect(elapsed < 5)
            #expect(html.hasPrefix("<p>"))
            #expect(MarkdownRenderer.hazard(in: text)?.kind == .deepNesting)
        }
        #expect(
            MarkdownRenderer.hazard(in: lists)?.description
                == "this Markdown nests quotes or lists 30000 deep, which cmark 0.30 parses in quadratic time; the site shows it as plain text. Nest at most a few levels"
        )
    }

    @Test func plainTextIsEscapedParagraphs() {
        let text = String(repeating: "![[]()", count: 2_000) + "<script>\"&\u{0}\n\n  \nnext\nline"
        #expect(MarkdownRenderer.hazard(in: text) != nil)
        let body = String(repeating: "![[]()", count: 2_000)
        #expect(renderer.html(from: text) == "<p>" + body + "&lt;script&gt;&quot;&amp;\u{FFFD}</p>\n<p>next\nline</p>\n")
        #expect(renderer.inlineHTML(from: text) == "<p>" + body + "&lt;script&gt;&quot;&amp;\u{FFFD}</p>\n<p>next\nline</p>")
    }

    // Negative controls: the same pattern below the budget, and honest long texts, go to cmark.
    @Test func ordinaryTextsStillGoToCmark() {
        let few = String(repeating: "![[]()", count: 400)
        #expect(MarkdownRenderer.hazard(in: few) == nil)
        #expect(renderer.html(from: few) == "<p>" + String(repeating: "![<a href=\"\"></a>", count: 400) + "</p>\n")

        let gallery = (1...200).map { "![shot \($0)](img/\($0).png) and [link \($0)](https://example.com/\($0))" }.joined(separator: " ")
        #expect(MarkdownRenderer.hazard(in: gallery) == nil)
        #expect(renderer.html(from: gallery).contains("<img src=\"img/200.png\" alt=\"shot 200\" />"))

        let nested = (0..<8).map { String(repeating: "  ", count: $0) + "- level \($0)" }.joined(separator: "\n")
        let long = String(repeating: nested + "\n\n> quoted **text** with `code`\n\n", count: 700)
        #expect(long.utf8.count > 100_000)
        #expect(MarkdownRenderer.hazard(in: long) == nil)
        #expect(renderer.html(from: long).contains("<blockquote>"))

        let rule = String(repeating: "-", count: 2_000) + "\n" + String(repeating: "word ", count: 100)
        #expect(MarkdownRenderer.hazard(in: rule) == nil)
    }
}
