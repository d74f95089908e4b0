import DrillbookCharts
import DrillbookTestSupport
import Foundation
import Testing

@Suite("Evidence chart")
struct EvidenceChartTests {
    /// Two probes over 12 s: one polled every 0.5 s that fails for 2.5 s after the fault, one slower.
    static func sample(names: (String, String) = ("writes through Sentinel", "sentinel quorum reachable"), marks: [EvidenceChart.Mark]? = nil) -> EvidenceChart {
        let writes = (0..<20).map { index -> EvidenceChart.Point in
            let t = 2 + Double(index) * 0.5
            let failed = t >= 5 && t < 7.5
            return EvidenceChart.Point(t: t, value: failed ? 1 : 0.004 + Double(index % 3) * 0.001, ok: !failed)
        }
        let quorum = [EvidenceChart.Point(t: 2.1, value: 0.012, ok: true), EvidenceChart.Point(t: 11.6, value: 0.015, ok: true)]
        return EvidenceChart(
            id: "evidence-1", title: "Probe latency over the run", summary: "2 series: 22 observations, 5 failed.",
            valueTitle: "Latency (s)", unit: "s",
            series: [EvidenceChart.Series(label: names.0, points: writes), EvidenceChart.Series(label: names.1, points: quorum)],
            marks: marks ?? [
                EvidenceChart.Mark(t: 4.9, label: "Fault injected", style: .fault),
                EvidenceChart.Mark(t: 5.0, label: "First failed probe", style: .detection),
                EvidenceChart.Mark(t: 7.6, label: "Recovered", style: .recovery),
            ])
    }

    @Test func matchesTheGoldenFile() {
        let chart = Self.sample()
        expectSnapshot(chart.svg(), named: "evidence.svg", bundle: .module)
        expectSnapshot(chart.dataTableHTML(), named: "evidence-table.html", bundle: .module)
        expectSnapshot(chart.resized(width: 320, height: 320, idSuffix: "narrow").svg(), named: "evidence-narrow.svg", bundle: .module)
    }

    @Test func failedAttemptsAreCrossesAndMarksAreLabelledLines() {
        let svg = Self.sample().svg()
        // One path of crosses for the series, one in the legend.
        #expect(svg.components(separatedBy: "class=\"marker-fail\"").count - 1 == 2)
        #expect(svg.contains("<title>writes through Sentinel: 5 failed attempts</title>"))
        for label in ["Fault injected", "First failed probe", "Recovered"] { #expect(svg.contains(">" + label + "</text>")) }
        #expect(svg.components(separatedBy: "class=\"mark-line\"").count - 1 == 3)
        // Marks differ by dash, not colour alone.
        #expect(svg.contains("stroke-dasharray=\"5 3\"") && svg.contains("stroke-dasharray=\"2 3\""))
        // With no failure, no cross and no "Failed attempt" legend entry.
        let healthy = EvidenceChart(
            title: "t", summary: "s", valueTitle: "Latency (s)", unit: "s",
            series: [EvidenceChart.Series(label: "ok", points: [EvidenceChart.Point(t: 1, value: 0.1, ok: true), EvidenceChart.Point(t: 2, value: 0.2, ok: true)])])
        #expect(!healthy.svg().contains("marker-fail"))
        #expect(!healthy.svg().contains("Failed attempt"))
    }

    @Test func theTableHasEveryPointInTimeOrder() {
        let rows = Self.sample().rows
        #expect(rows.count == 22)
        #expect(rows.first! == ("2", "writes through Sentinel", "0.004 s", "yes"))
        #expect(rows[1] == ("2.1", "sentinel quorum reachable", "0.012 s", "yes"))
        #expect(rows.filter { $0.ok == "failed" }.count == 5)
    }

    @Test func untrustedNamesCannotInjectMarkup() {
        let attack = "<script>alert(1)</script>\"><g onload=\"x\">&amp;"
        let chart = Self.sample(names: (attack, attack + "2"), marks: [EvidenceChart.Mark(t: 5, label: attack, style: .detection)])
        let svg = chart.svg()
        #expect(xmlError(svg) == nil)
        #expect(xmlError("<div>" + chart.dataTableHTML() + "</div>") == nil)
        for text in [svg, chart.dataTableHTML()] {
            #expect(!text.contains("<script"))
            #expect(!text.contains("<g onload"))
        }
    }

    @Test func emptyAndDegenerateDataStillDrawsValidSVG() {
        for series in [[], [EvidenceChart.Series(label: "x", points: [])], [EvidenceChart.Series(label: "x", points: [EvidenceChart.Point(t: .nan, value: .infinity, ok: false)])]] {
            let chart = EvidenceChart(title: "t", summary: "s", valueTitle: "v", unit: "s", series: series, marks: [EvidenceChart.Mark(t: .infinity, label: "m", style: .fault)])
            #expect(xmlError(chart.svg()) == nil)
            #expect(!chart.svg().contains("NaN"))
        }
    }
}
