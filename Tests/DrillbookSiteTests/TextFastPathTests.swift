@testable import DrillbookSite
import Testing

/// The byte-level fast paths of the text helpers give exactly what the character-level code they
/// stand in front of gives, so a page's bytes do not depend on which path made them.
@Suite("Text fast paths")
struct TextFastPathTests {
    static let texts: [String] = [
        "", " ", "a", "  leading and trailing  ", "tab\there", "lines\nand\r\nbreaks\r", "vt\u{0B}ff\u{0C}",
        "\u{1C}\u{1D}\u{1E}\u{1F} are not white space", "many     spaces\t\t\n\n between", "x\r\n\r\ny",
        String(repeating: "word ", count: 60), String(repeating: "a", count: 199), String(repeating: "a", count: 200),
        String(repeating: "a", count: 201), String(repeating: "ab ", count: 67) + "c",
    ]

    @Test(arguments: texts)
    func asciiPlainLineAgreesWithTheCharacterPath(_ text: String) throws {
        for limit in [5, 120, 200] {
            let fast = try #require(SiteText.asciiPlainLine(text, limit: limit))
            #expect(fast == SiteText.scalarPlainLine(text, limit: limit), "limit \(limit)")
        }
    }

    /// Negative control: a text with one non-ASCII character is not the fast path's (it would
    /// count bytes, not characters, and miss U+00A0 as white space).
    @Test func nonASCIITextTakesTheCharacterPath() {
        #expect(SiteText.asciiPlainLine("caf\u{E9}\u{A0}au lait", limit: 200) == nil)
        #expect(SiteText.plainLine("caf\u{E9}\u{A0}au  lait") == "caf\u{E9} au lait")
        #expect(SiteText.plainLine(String(repeating: "\u{E9}", count: 201)) == String(repeating: "\u{E9}", count: 199) + "…")
    }
}
