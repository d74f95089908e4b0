import DrillbookCharts
import DrillbookTestSupport
import DrillbookText
import Foundation
import Testing

/// Every text a chart writes goes through the one markup escaper (`MarkupText`, tested in
/// DrillbookTextTests): a chart labelled with every forbidden character still parses.
@Suite("SVG text validity")
struct SVGTextValidityTests {
    /// Every C0 control, DEL, U+FFFE, U+FFFF, U+FFFD, the markup characters and some plain text.
    static let hostile: String = {
        var text = ""
        for value in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        return text + "\u{7F}\u{FFFE}\u{FFFF}\u{FFFD}<&\"'> é 🚨 \u{10FFFF}"
    }()

    /// Every chart kind, with the hostile text in every label, parses as XML.
    @Test func chartsWithEveryForbiddenCharacterParse() {
        let charts = ChartSamples.everyKind(labelled: Self.hostile)
        for chart in charts {
            let svg = chart.svg()
            #expect(xmlError(svg) == nil, "\(type(of: chart)): \(xmlError(svg) ?? "")")
            #expect(xmlError("<div>" + chart.dataTableHTML() + "</div>") == nil)
            #expect(!svg.unicodeScalars.contains { !MarkupText.isXMLCharacter($0) })
            #expect(svg.contains("\u{FFFD}\t\n\u{FFFD}\u{FFFD}\r\u{FFFD}"))
        }
    }
}
