import DrillbookCharts
import DrillbookTestSupport
import Foundation
import Testing

/// The one markup escaper: every character XML 1.0 forbids becomes U+FFFD, the five markup
/// characters become entities, everything else is kept byte for byte.
@Suite("SVG text validity")
struct SVGTextValidityTests {
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
        #expect(SVGFormat.escape(Self.hostile) == expected)
        #expect(xmlError("<t a=\"" + SVGFormat.escape(Self.hostile) + "\">" + SVGFormat.escape(Self.hostile) + "</t>") == nil)
    }

    @Test func plainTextIsKeptAsItIs() {
        let plain = "Redis Sentinel failover — 8.25 s, ünïcödé 🚨\tand\nlines\r\n"
        #expect(SVGFormat.escape(plain) == plain)
        #expect(SVGFormat.replacingForbiddenCharacters(plain) == plain)
    }

    /// The predicate is XML 1.0's `Char` production, checked at every boundary.
    @Test func xmlCharacterBoundaries() {
        let allowed: [UInt32] = [0x9, 0xA, 0xD, 0x20, 0x7F, 0x80, 0x9F, 0xD7FF, 0xE000, 0xFFFD, 0x10000, 0x10FFFF]
        let forbidden: [UInt32] = [0x0, 0x1, 0x8, 0xB, 0xC, 0xE, 0x1F, 0xFFFE, 0xFFFF]
        for value in allowed { #expect(SVGFormat.isXMLCharacter(Unicode.Scalar(value)!), "\(value)") }
        for value in forbidden { #expect(!SVGFormat.isXMLCharacter(Unicode.Scalar(value)!), "\(value)") }
        #expect(SVGFormat.replacementCharacter == "\u{FFFD}")
        #expect(SVGFormat.replacingForbiddenCharacters("a\u{0}b\u{FFFF}<") == "a\u{FFFD}b\u{FFFD}<")
    }

    /// The byte-level escaper the site's templates use gives the bytes `escape(_:)` gives, also
    /// when a forbidden character sits at the very start or end of the buffer.
    @Test(arguments: ["", "\u{1}", "\u{FFFF}", "x\u{FFFE}", "\u{FFFE}x", "\u{EFBF}", "\u{FFBF}", "\u{FFFD}\u{FFFF}", SVGFormat.escape("&")])
    func byteEscaperMatchesTheStringEscaper(_ text: String) {
        #expect(Self.escapedBytes(text) == SVGFormat.escape(text))
        #expect(Self.escapedBytes(Self.hostile + text + Self.hostile) == SVGFormat.escape(Self.hostile + text + Self.hostile))
    }

    static func escapedBytes(_ text: String) -> String {
        var result: [UInt8] = []
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            SVGFormat.escapeUTF8(
                buffer, copy: { result.append(contentsOf: buffer[$0]) },
                insert: { result.append(contentsOf: UnsafeBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount)) })
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Every chart kind, with the hostile text in every label, parses as XML.
    @Test func chartsWithEveryForbiddenCharacterParse() {
        let charts = ChartSamples.everyKind(labelled: Self.hostile)
        for chart in charts {
            let svg = chart.svg()
            #expect(xmlError(svg) == nil, "\(type(of: chart)): \(xmlError(svg) ?? "")")
            #expect(xmlError("<div>" + chart.dataTableHTML() + "</div>") == nil)
            #expect(!svg.unicodeScalars.contains { !SVGFormat.isXMLCharacter($0) })
            #expect(svg.contains("\u{FFFD}\t\n\u{FFFD}\u{FFFD}\r\u{FFFD}"))
        }
    }
}
