import DrillbookMarkdown
import Testing

/// cmark passes C0 controls, U+FFFE and U+FFFF through to its HTML; the renderer replaces them
/// with U+FFFD first, so no record text makes a page, the feed or an SVG ill-formed markup.
@Suite("Markup safety")
struct MarkupSafetyTests {
    static let controls = String(String.UnicodeScalarView((0x00...0x1F).compactMap(Unicode.Scalar.init))) + "\u{FFFE}\u{FFFF}"

    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    @Test(arguments: ["a\(controls)b", "*a*\(controls)[x](y)", "# h\(controls)\n\n- item\(controls)"])
    func renderingsCarryNoForbiddenCharacter(_ markdown: String) {
        let renderer = MarkdownRenderer()
        for output in [renderer.html(from: markdown), renderer.inlineHTML(from: markdown), renderer.plainText(from: markdown)] {
            #expect(!output.unicodeScalars.contains(where: Self.isForbidden), "\(output.debugDescription)")
            #expect(output.contains("\u{FFFD}"))
        }
    }

    @Test func ordinaryTextIsUnchanged() {
        let renderer = MarkdownRenderer()
        #expect(renderer.html(from: "Tabs\tand *emphasis*\r\nstay") == "<p>Tabs\tand <em>emphasis</em>\nstay</p>\n")
    }

    @Test func aTextWithAHazardStaysPlainInPlainText() {
        let markdown = String(repeating: "![[]()", count: 20_000)
        #expect(MarkdownRenderer.hazard(in: markdown) != nil)
        #expect(MarkdownRenderer().plainText(from: markdown) == markdown)
    }
}
