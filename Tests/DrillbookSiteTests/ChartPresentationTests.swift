import DrillbookCharts
import DrillbookModel
import Foundation
import Testing

@testable import DrillbookSite

/// What the site adds to a chart (a visible title, a takeaway computed from the data, a narrow
/// drawing) and the one palette the stylesheet and the charts share.
@Suite("Chart presentation")
struct ChartPresentationTests {
    static let stylesheet = String(
        decoding: try! Data(contentsOf: SiteWorkspace.defaultTheme.appendingPathComponent("assets/style.css")), as: UTF8.self)

    static let nbsp = "\u{00A0}"

    static func plain(_ text: String?) -> String? { text?.replacingOccurrences(of: nbsp, with: " ") }

    @Test func aPercentBarChartSaysTheLatestMonthAndItsChangeInPoints() {
        let chart = BarChart(
            title: "Pass rate per month", summary: "s", categories: ["2026-09", "2026-10", "2026-11"],
            series: [.init(label: "Runs passed", values: [80, 88, 92]), .init(label: "Recovered within target", values: [nil, 75, 80])],
            valueTitle: "Runs passed (%)", unit: "%")
        let takeaway = TrendText.takeaway(for: chart)
        #expect(Self.plain(takeaway) == "Nov 2026: runs passed 92 %, up 4 points on Oct 2026; recovered within target 80 %.")
        #expect(takeaway?.contains("92" + Self.nbsp + "%") == true)
    }

    @Test func aStackedChartSaysTheTotalItsPartsAndTheChange() {
        let chart = BarChart(
            title: "Incidents per quarter and severity", summary: "s", categories: ["2026-Q3", "2026-Q4"],
            series: Severity.allCases.map { .init(label: $0.rawValue, values: $0 == .p2 ? [1, 2] : [$0 == .p3 ? 2 : 0, $0 == .p4 ? 1 : 0]) },
            stacked: true, valueTitle: "Incidents (count)", unit: "incidents")
        #expect(Self.plain(TrendText.takeaway(for: chart)) == "Q4 2026: incidents 3 (P2: 2; P4: 1), no change on Q3 2026.")
    }

    @Test func aBurnDownSaysTheLatestValueAndThePeak() {
        let chart = BurnDownChart(
            title: "Open action items at month end", summary: "s",
            points: [.init(label: "2026-09", value: 12), .init(label: "2026-10", value: 9), .init(label: "2026-11", value: 7)],
            valueTitle: "Open items (count)", unit: "items")
        #expect(Self.plain(TrendText.takeaway(for: chart)) == "Nov 2026: open items 7, down 2 on Oct 2026; highest 12 items in Sep 2026.")
    }

    @Test func measuredRunsSayTheLatestRunAndHowManyMetTheTarget() {
        let day = 86_400.0
        let chart = TimeSeriesChart(
            title: "Recovery time per run", summary: "s", valueTitle: "Recovery time (s)", unit: "s",
            series: [
                .init(
                    label: "Runs",
                    points: [
                        .init(x: 0, y: 20, status: .pass, label: "2026-10-01 (r1)"),
                        .init(x: day, y: 95, status: .fail, label: "2026-10-02 (r2)"),
                        .init(x: 2 * day, y: 24.5, status: .pass, label: "2026-10-03 (r3)"),
                    ], style: .scatter)
            ], target: TargetLine(value: 30, label: "Target ≤ 30s"))
        #expect(Self.plain(TrendText.takeaway(for: chart)) == "Latest run 2026-10-03: 24.5 s, within target; 2 of 3 runs within target.")
    }

    /// Negative control: a chart without data gets no takeaway rather than an invented one.
    @Test func aChartWithoutDataHasNoTakeaway() {
        let empty = BarChart(title: "t", summary: "s", categories: ["2026-11"], series: [.init(label: "Runs passed", values: [nil])], valueTitle: "v", unit: "%")
        #expect(TrendText.takeaway(for: empty) == nil)
        #expect(TrendText.takeaway(for: Sparkline(title: "t", summary: "s", points: [], unit: "s")) == nil)
    }

    @Test func aChartBlockCarriesTitleTakeawayAndANarrowDrawing() {
        let block = ChartBlock(
            BarChart(id: "pass", title: "Pass rate", summary: "s", categories: ["2026-10", "2026-11"], series: [.init(label: "Runs passed", values: [50, 75])], valueTitle: "Runs passed (%)", unit: "%"))
        #expect(block.title == "Pass rate")
        #expect(block.takeaway != nil)
        #expect(block.svgHTML.contains("viewBox=\"0 0 640 "))
        #expect(block.narrowSVGHTML?.contains("viewBox=\"0 0 320 ") == true)
        #expect(block.narrowSVGHTML?.contains("id=\"chart-pass-narrow-title\"") == true)
    }

    // MARK: The stylesheet

    /// The value of `--name` in the stylesheet's first (light) `:root`.
    static func customProperty(_ name: String) -> String? {
        guard let range = stylesheet.range(of: "--" + name + ":") else { return nil }
        return String(stylesheet[range.upperBound...].prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
    }

    /// One colour per severity: the badges use the custom property the per-severity chart names,
    /// and the stylesheet's value is the chart's fallback.
    @Test func severityBadgesAndChartsShareOneColour() {
        for severity in Severity.allCases {
            let color = ChartColor.severity(severity)
            #expect(Self.customProperty(color.variable)?.uppercased() == color.fallback.uppercased(), "\(severity)")
            let tone = severity.rawValue.lowercased()
            #expect(Self.stylesheet.contains(".badge--" + tone + " { border-color: var(--" + color.variable + ");"))
        }
    }

    @Test func theStylesheetDefinesTheChartPaletteWithTheChartsFallbacks() {
        for index in 0..<8 {
            let fallback = String(ChartPalette.seriesColor(index).split(separator: "#").last!.prefix(6))
            #expect(Self.customProperty("chart-" + String(index + 1))?.uppercased() == "#" + fallback.uppercased())
        }
    }

    /// Selectors of rules that set a font size and could match an element inside a chart's SVG.
    static func rulesSizingChartText(in css: String) -> [String] {
        let chartClasses = ["legend", "label", "tick", "axis", "axis-title", "series", "drillbook-chart"]
        var found: [String] = []
        for rule in css.components(separatedBy: "}") {
            guard let brace = rule.lastIndex(of: "{"), rule[brace...].contains("font-size") else { continue }
            let selectors = String(rule[..<brace]).components(separatedBy: CharacterSet(charactersIn: "{\n")).last ?? ""
            for selector in selectors.components(separatedBy: ",") {
                let trimmed = selector.trimmingCharacters(in: .whitespaces)
                for name in chartClasses where trimmed.range(of: "(^|[\\s>+~])\\." + name + "(?![-\\w])(?!:not\\(g\\))", options: .regularExpression) != nil {
                    found.append(trimmed)
                }
            }
        }
        return found
    }

    /// The schedule's `.legend { font-size: 0.875rem }` also matched the charts' `<g class="legend">`
    /// and drew legend text at 14 units where the layout measured 12, so entries ran into each
    /// other. No rule may size text inside a chart (the negative control is the old rule).
    @Test func noRuleSizesTheTextInsideACharts() {
        #expect(Self.rulesSizingChartText(in: Self.stylesheet) == [])
        #expect(Self.rulesSizingChartText(in: ".legend { font-size: 0.875rem; color: var(--muted); }") == [".legend"])
        #expect(Self.rulesSizingChartText(in: ".legend:not(g) { font-size: 0.875rem; }") == [])
    }

    @Test func badgesDatesAndNumbersNeverWrap() {
        #expect(Self.stylesheet.contains("time, .num, .badge { white-space: nowrap; }"))
        #expect(!Self.stylesheet.contains("td .badge { white-space: normal"))
    }
}
