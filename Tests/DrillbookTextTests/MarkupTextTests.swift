import DrillbookTestSupport
import DrillbookText
import Testing

/// The one markup escaper: every character XML 1.0 forbids becomes U+FFFD, the markup characters
/// of the rule set become entities, everything else is kept byte for byte.
@Suite("Markup text")
struct MarkupTextTests {
    /// Every C0 control, DEL, U+FFFE, U+FFFF, U+FFFD, the markup characters and some plain text.
    static let hostile: String = {
        var text = ""
        for value in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        return text + "\u{7F}\u{FFFE}\u{FFFF}\u{FFFD}<&\"'> é 🚨 \u{10FFFF}"
    }()

    @Test func forbiddenCharactersBecomeTheReplacementCharacter() {
        var expected = String(repeating: "\u{FFFD}", count: 9) + "\t\n\u{FFFD}\u{FFFD}\r"
        expected += String(repeating: "\u{FFFD}", count: 0x20 - 0x0E)
        expected += "\u{7F}\u{FFFD}\u{FFFD}\u{FFFD}&lt;&amp;&quot;&#39;&gt; é 🚨 \u{10FFFF}"
        #expect(MarkupText.escape(Self.hostile) == expected)
        #expect(xmlError("<t a=\"" + MarkupText.escape(Self.hostile) + "\">" + MarkupText.escape(Self.hostile) + "</t>") == nil)
    }

    @Test func plainTextIsKeptAsItIs() {
        let plain = "Redis Sentinel failover — 8.25 s, ünïcödé 🚨\tand\nlines\r\n"
        for rules in [MarkupText.Rules.markup, .cmark] { #expect(MarkupText.escape(plain, rules: rules) == plain) }
        #expect(MarkupText.replacingForbiddenCharacters(plain) == plain)
    }

    /// cmark's set leaves the apostrophe; the attribute set also writes tab, LF and CR as
    /// references, which an XML parser would otherwise turn into spaces in an attribute value.
    @Test func theRuleSetsDifferOnlyInWhatTheyEscape() {
        let text = "a'b\"c<d>&e\tf\ng\rh\u{1}\u{FFFF}"
        #expect(MarkupText.escape(text) == "a&#39;b&quot;c&lt;d&gt;&amp;e\tf\ng\rh\u{FFFD}\u{FFFD}")
        #expect(MarkupText.escape(text, rules: .cmark) == "a'b&quot;c&lt;d&gt;&amp;e\tf\ng\rh\u{FFFD}\u{FFFD}")
        #expect(MarkupText.escape(text, rules: .xmlAttribute) == "a&#39;b&quot;c&lt;d&gt;&amp;e&#9;f&#10;g&#13;h\u{FFFD}\u{FFFD}")
        #expect(xmlError("<t a=\"" + MarkupText.escape(Self.hostile, rules: .xmlAttribute) + "\"/>") == nil)
    }

    /// The predicate is XML 1.0's `Char` production, checked at every boundary.
    @Test func xmlCharacterBoundaries() {
        let allowed: [UInt32] = [0x9, 0xA, 0xD, 0x20, 0x7F, 0x80, 0x9F, 0xD7FF, 0xE000, 0xFFFD, 0x10000, 0x10FFFF]
        let forbidden: [UInt32] = [0x0, 0x1, 0x8, 0xB, 0xC, 0xE, 0x1F, 0xFFFE, 0xFFFF]
        for value in allowed { #expect(MarkupText.isXMLCharacter(Unicode.Scalar(value)!), "\(value)") }
        for value in forbidden { #expect(!MarkupText.isXMLCharacter(Unicode.Scalar(value)!), "\(value)") }
        #expect(MarkupText.replacementCharacter == "\u{FFFD}")
        #expect(MarkupText.replacingForbiddenCharacters("a\u{0}b\u{FFFF}<") == "a\u{FFFD}b\u{FFFD}<")
    }

    /// The byte-level escaper the site's templates use gives the bytes `escape(_:rules:)` gives, also
    /// when a forbidden character sits at the very start or end of the buffer.
    @Test(arguments: ["", "\u{1}", "\u{FFFF}", "x\u{FFFE}", "\u{FFFE}x", "\u{EFBF}", "\u{FFBF}", "\u{FFFD}\u{FFFF}", MarkupText.escape("&")])
    func byteEscaperMatchesTheStringEscaper(_ text: String) {
        for rules in [MarkupText.Rules.markup, .cmark, .xmlAttribute] {
            #expect(Self.escapedBytes(text, rules) == MarkupText.escape(text, rules: rules))
            #expect(
                Self.escapedBytes(Self.hostile + text + Self.hostile, rules)
                    == MarkupText.escape(Self.hostile + text + Self.hostile, rules: rules))
        }
    }

    static func escapedBytes(_ text: String, _ rules: MarkupText.Rules) -> String {
        var result: [UInt8] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            MarkupText.escapeUTF8(
                buffer, rules: rules, copy: { result.append(contentsOf: buffer[$0]) },
                insert: { result.append(contentsOf: UnsafeBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount)) })
        }
        return String(decoding: result, as: UTF8.self)
    }
}
