import DrillbookText
import Foundation
import Testing

@Suite("Terminal text")
struct TerminalTextTests {
    /// Every scalar a terminal may act on: C0, DEL, C1, bidi controls, line and paragraph separators.
    static let active: [Unicode.Scalar] =
        (0x00...0x1F).map { Unicode.Scalar(UInt8($0)) } + (0x7F...0x9F).map { Unicode.Scalar(UInt8($0)) }
        + [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029]
        .map { Unicode.Scalar($0)! }

    @Test func plainTextIsUnchanged() {
        for text in ["", "content/runs/2026/a.json:3: $.id: expected a string", "Priya Raman – Überprüfung ✓ 日本", "a\\u{1B}b"] {
            #expect(TerminalText.line(text) == text)
            #expect(TerminalText.block(text) == text)
            #expect(TerminalText.json(text) == text)
        }
    }

    @Test func terminalSequencesAreShownAsSwiftEscapes() {
        #expect(TerminalText.line("\u{1B}]0;pwned\u{7}title") == "\\u{1B}]0;pwned\\u{7}title")
        #expect(TerminalText.line("\u{1B}[2J\u{1B}[H") == "\\u{1B}[2J\\u{1B}[H")
        #expect(TerminalText.line("abc\u{8}\u{8}\u{7F}") == "abc\\u{8}\\u{8}\\u{7F}")
        #expect(TerminalText.line("\u{9B}31m") == "\\u{9B}31m")
        #expect(TerminalText.line("user\u{202E}txt.exe\u{2066}") == "user\\u{202E}txt.exe\\u{2066}")
    }

    @Test func everyActiveScalarIsEscapedInALine() {
        for scalar in Self.active {
            let escaped = TerminalText.line("x" + String(Character(scalar)) + "y")
            #expect(escaped == "x\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}y")
            #expect(!escaped.unicodeScalars.contains(where: TerminalText.isActive))
        }
        #expect(!TerminalText.isActive(" ") && !TerminalText.isActive("~") && !TerminalText.isActive("\u{A0}"))
    }

    @Test func aLineCannotBecomeTwo() {
        let forged = "a.json\n/etc/b.json:1: error: forged\r"
        let line = TerminalText.line(forged)
        #expect(line == "a.json\\u{A}/etc/b.json:1: error: forged\\u{D}")
        #expect(!line.contains("\n") && !line.contains("\r"))
    }

    @Test func aBlockKeepsItsLayoutOnly() {
        #expect(TerminalText.block("a\tb\nc\r\nd") == "a\tb\nc\r\nd")
        #expect(TerminalText.block("over\rwrite\n\u{1B}[2J") == "over\\u{D}write\n\\u{1B}[2J")
        #expect(TerminalText.block("ends with CR\r") == "ends with CR\\u{D}")
    }

    @Test func escapingIsIdempotent() {
        let text = String(String.UnicodeScalarView(Self.active)) + "tail"
        #expect(TerminalText.line(TerminalText.line(text)) == TerminalText.line(text))
        #expect(TerminalText.block(TerminalText.block(text)) == TerminalText.block(text))
    }

    @Test func jsonKeepsItsValueAndLosesItsControls() throws {
        let value = ["title": "a\u{9B}b\u{7F}c\u{202E}d\u{1B}e\n"]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let raw = String(decoding: try encoder.encode(value), as: UTF8.self)
        let inert = TerminalText.json(raw)
        #expect(inert.contains("\\u009b") && inert.contains("\\u007f") && inert.contains("\\u202e"))
        #expect(!inert.unicodeScalars.contains { TerminalText.isActive($0) && $0 != "\n" })
        #expect(try JSONDecoder().decode([String: String].self, from: Data(inert.utf8)) == value)
    }
}
