import DrillbookMarkdown
import Testing

/// `plainText(from:)`: the words of a Markdown text without its formatting, for feed summaries.
@Suite("Markdown as plain text")
struct PlainTextTests {
    let renderer = MarkdownRenderer()

    @Test func formattingIsRemoved() {
        #expect(renderer.plainText(from: "**bold** [link](x)") == "bold link")
        #expect(renderer.plainText(from: "*em* _em_ `code` ~~no~~ ![alt text](i.png)") == "em em code ~~no~~ alt text")
        #expect(renderer.plainText(from: "a\\*b &amp; &lt;c&gt;") == "a*b & <c>")
    }

    @Test func breaksBecomeSpacesAndBlocksNewLines() {
        #expect(renderer.plainText(from: "one\ntwo  \nthree") == "one two three")
        #expect(renderer.plainText(from: "# Title\n\nFirst.\n\n- a\n- b\n\n```\nmake drill\n```\n\n---\n\n> quoted") == "Title\nFirst.\na\nb\nmake drill\nquoted")
    }

    @Test func rawHTMLIsLeftOut() {
        #expect(renderer.plainText(from: "a <b>bold</b> <script>x</script> c") == "a bold x c")
        #expect(renderer.plainText(from: "<div>\nblock\n</div>\n\nafter") == "after")
    }

    @Test func emptyAndBlankInputGiveEmptyText() {
        #expect(renderer.plainText(from: "") == "")
        #expect(renderer.plainText(from: "  \n\n ") == "")
        #expect(renderer.plainText(from: "**") == "**")
    }
}
