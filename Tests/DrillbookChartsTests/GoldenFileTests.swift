import DrillbookCharts
import DrillbookTestSupport
import Foundation
import Testing

/// The one-element-per-line form golden files are stored in: readable, reversible, and blind to nothing.
@Suite struct GoldenFileTests {
    @Test(arguments: ChartSamples.all.map(\.name))
    func theFormIsReversibleAndPutsOneElementOnALine(name: String) {
        let svg = ChartSamples.all.first { $0.name == name }!.chart.svg()
        let lines = GoldenFile.lines(of: svg)
        #expect(GoldenFile.text(fromLines: lines) == svg)
        #expect(!lines.contains("><"))
        #expect(lines.split(separator: "\n").allSatisfy { $0.count < 400 })
    }

    @Test func newlinesAlreadyBetweenTagsAreKeptApart() {
        let joined = "<p><b>x</b></p>", broken = "<p>\n<b>x</b>\n\n</p>"
        #expect(GoldenFile.lines(of: joined) == "<p>\n<b>x</b>\n</p>")
        #expect(GoldenFile.lines(of: broken) == "<p>\n\n<b>x</b>\n\n\n</p>")
        #expect(GoldenFile.lines(of: joined) != GoldenFile.lines(of: broken))
        for text in [joined, broken, "", ">", "<", "a>\n", "\n<", "><", ">\n\n<", "x > y < z"] {
            #expect(GoldenFile.text(fromLines: GoldenFile.lines(of: text)) == text)
        }
    }

    /// A one-character change inside an attribute of the heat map (whose SVG was one 14,414-character
    /// line) fails the comparison, and the message names the line and shows both versions of it.
    @Test func aOneCharacterChangeInAnAttributeFailsWithTheLineThatDiffers() throws {
        let svg = ChartSamples.heatmap.svg()
        let golden = GoldenFile.lines(of: svg)
        #expect(GoldenFile.difference(expected: golden, actual: GoldenFile.lines(of: svg), name: "heatmap.svg") == nil)

        let attribute = try #require(svg.range(of: "width=\"", options: .backwards))
        var changed = svg
        let digit = changed.index(attribute.upperBound, offsetBy: 0)
        changed.replaceSubrange(digit...digit, with: changed[digit] == "9" ? "8" : "9")
        #expect(changed.count == svg.count && changed != svg)

        let message = try #require(GoldenFile.difference(expected: golden, actual: GoldenFile.lines(of: changed), name: "heatmap.svg"))
        let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let changedLines = GoldenFile.lines(of: changed).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(zip(goldenLines, changedLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset)
        #expect(line > 0)
        #expect(message.hasPrefix("Snapshots/heatmap.svg differs at line \(line + 1), column "))
        #expect(message.contains("\n  expected: \(goldenLines[line])\n"))
        #expect(message.contains("\n  actual:   \(changedLines[line])\n"))
        #expect(message.contains("RECORD_SNAPSHOTS=1"))
    }

    @Test func aMissingOrExtraLineIsNamedToo() throws {
        let message = try #require(GoldenFile.difference(expected: "<a>\n<b/>\n</a>", actual: "<a>\n<b/>", name: "x.svg"))
        #expect(message.hasPrefix("Snapshots/x.svg differs at line 3, column 1 (3 lines expected, 2 actual):"))
        #expect(message.contains("actual:   <end of file>"))
    }
}
