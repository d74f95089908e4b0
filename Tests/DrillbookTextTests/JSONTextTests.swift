import DrillbookText
import Foundation
import Testing

@Suite("JSON text")
struct JSONTextTests {
    @Test func quotesAndEscapes() {
        #expect(JSONText.quoted("plain") == "\"plain\"")
        #expect(JSONText.quoted("say \"hi\" \\ now") == "\"say \\\"hi\\\" \\\\ now\"")
        #expect(JSONText.quoted("a\nb\tc\rd") == "\"a\\nb\\tc\\rd\"")
        #expect(JSONText.quoted("\u{0}\u{1B}\u{1F}") == "\"\\u0000\\u001b\\u001f\"")
        #expect(JSONText.quoted("é 🚨 \u{7F}") == "\"é 🚨 \u{7F}\"")
        #expect(JSONText.unicodeEscape("\u{202E}") == "\\u202e")
    }

    /// Every C0 control, quote and backslash: what `quoted` writes is JSON that reads back as the text.
    @Test func quotedTextReadsBack() throws {
        var text = "\"\\/ é 🚨"
        for value in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        let decoded = try JSONDecoder().decode(String.self, from: Data(JSONText.quoted(text).utf8))
        #expect(decoded == text)
    }
}
