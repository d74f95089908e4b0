import DrillbookCharts
import DrillbookTestSupport
import Foundation
import Testing

@Suite struct ChartTests {
    @Test(arguments: ChartSamples.all.map(\.name))
    func goldenSVG(name: String) {
        let chart = ChartSamples.all.first { $0.name == name }!.chart
        expectSnapshot(chart.svg(), named: name + ".svg", bundle: .module)
        expectSnapshot(chart.dataTableHTML(), named: name + ".html", bundle: .module)
    }

    @Test(arguments: ChartSamples.all.map(\.name))
    func wellFormedAndAccessible(name: String) {
        let chart = ChartSamples.all.first { $0.name == name }!.chart
        let svg = chart.svg()
        #expect(xmlError(svg) == nil)
        #expect(xmlError("<div>" + chart.dataTableHTML() + "</div>") == nil)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox="))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("width=\"100%\""))
        let elements = xmlElements(svg)
        #expect(Array(elements.prefix(3)) == ["svg", "title", "desc"])
        #expect(!svg.contains("NaN") && !svg.contains("inf") && !svg.contains("-0 ") && !svg.contains("\"-0\""))
        #expect(!svg.contains("font-family=\"") || svg.contains("font-family=\"inherit\""))
        // Colours come from CSS custom properties; plain hex only as the paired fallback attribute.
        #expect(svg.components(separatedBy: "fill=\"#").count == svg.components(separatedBy: "fill:var(--").count)
        #expect(svg.components(separatedBy: "stroke=\"#").count == svg.components(separatedBy: "stroke:var(--").count)
        #expect(chart.svg() == svg)
        let table = chart.dataTableHTML()
        #expect(table.contains("<caption>"))
        #expect(table.contains("<th scope=\"col\">"))
    }

    @Test func ariaLabelledByPointsAtTitleAndDesc() {
        let svg = ChartSamples.recovery.svg()
        #expect(svg.contains("aria-labelledby=\"chart-redis-recovery-title chart-redis-recovery-desc\""))
        #expect(svg.contains("<title id=\"chart-redis-recovery-title\">Redis failover: recovery time per run</title>"))
        #expect(svg.contains("<desc id=\"chart-redis-recovery-desc\">"))
    }

    @Test func passAndFailUseDifferentShapes() {
        let svg = ChartSamples.recovery.svg()
        #expect(svg.components(separatedBy: "<circle class=\"marker-pass\"").count - 1 == 5)  // 4 points + legend
        #expect(svg.components(separatedBy: "<path class=\"marker-fail\"").count - 1 == 3)  // 2 points + legend
        #expect(svg.contains("class=\"target\""))
        // The missing December value breaks the line into two segments.
        let line = svg.components(separatedBy: "class=\"series-line\" d=\"")[1].prefix { $0 != "\"" }
        #expect(line.filter { $0 == "M" }.count == 2)
    }

    static let hostile = "<script>alert(\"x\")</script> & 'quotes' \u{0}\u{1B}"

    /// Points with a verdict take the verdict's shape and colour, so when several scatter series
    /// share a chart (runs in staging and runs on a laptop) each point gets a ring in its series'
    /// colour, and the legend shows the rings; a lone series or verdict-free points get none.
    @Test func severalScatterSeriesWithVerdictsAreRinged() {
        func chart(_ series: [TimeSeriesChart.Series]) -> String {
            TimeSeriesChart(id: "rings", title: "Recovery", summary: "Runs.", valueTitle: "s", unit: "s", series: series).svg()
        }
        let staging = TimeSeriesChart.Series(
            label: "Staging runs",
            points: [
                .init(x: ChartSamples.seconds(2026, 1, 5), y: 20, status: .pass, label: "a"),
                .init(x: ChartSamples.seconds(2026, 2, 5), y: 40, status: .fail, label: "b"),
            ], style: .scatter)
        let local = TimeSeriesChart.Series(
            label: "Local runs", points: [.init(x: ChartSamples.seconds(2026, 3, 5), y: 3, status: .pass, label: "c")],
            style: .scatter)
        let both = chart([staging, local])
        // Three points and two legend entries.
        #expect(both.components(separatedBy: "class=\"marker-ring\"").count - 1 == 5)
        #expect(both.contains("stroke:var(--chart-1") && both.contains("stroke:var(--chart-2"))
        #expect(!chart([staging]).contains("marker-ring"))
        #expect(!ChartSamples.scatter.svg().contains("marker-ring"))
    }

    @Test func hostileLabelsAreEscaped() {
        let charts = ChartSamples.everyKind(labelled: Self.hostile)
        for chart in charts {
            let svg = chart.svg()
            let table = chart.dataTableHTML()
            #expect(xmlError(svg) == nil)
            #expect(xmlError("<div>" + table + "</div>") == nil)
            #expect(!svg.contains("<script"))
            #expect(!table.contains("<script"))
            #expect(svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;"))
            #expect(!svg.contains("\u{0}") && !svg.contains("\u{1B}"))
        }
    }

    @Test func emptyAndDegenerateDataStillRender() {
        let charts: [any SVGChart] = [
            TimeSeriesChart(title: "Empty", summary: "none", valueTitle: "s", unit: "s", series: []),
            TimeSeriesChart(title: "One", summary: "one", valueTitle: "s", unit: "s", series: [.init(label: "a", points: [.init(x: 0, y: 5, label: "only")])]),
            TimeSeriesChart(title: "Equal", summary: "eq", valueTitle: "s", unit: "s", series: [.init(label: "a", points: (0..<4).map { .init(x: Double($0) * 86_400, y: 7, label: String($0)) })]),
            TimeSeriesChart(title: "Gaps", summary: "gaps", valueTitle: "s", unit: "s", series: [.init(label: "a", points: [.init(x: 0, y: nil, label: "a"), .init(x: .nan, y: .nan, label: "b"), .init(x: 1e9, y: .infinity, label: "c")])]),
            TimeSeriesChart(title: "Huge", summary: "huge", valueTitle: "v", unit: "", series: [.init(label: "a", points: [.init(x: 0, y: 1e-6, label: "a"), .init(x: 1.7e9, y: 1e9, label: "b"), .init(x: 1e9, y: -5e8, label: "c")])]),
            BarChart(title: "Empty bars", summary: "none", categories: [], series: [], valueTitle: "n", unit: ""),
            BarChart(title: "Nil bars", summary: "nil", categories: ["a", "b"], series: [.init(label: "s", values: [nil])], valueTitle: "n", unit: ""),
            BarChart(title: "Negative", summary: "neg", categories: ["a", "b"], series: [.init(label: "s", values: [-3, 4]), .init(label: "t", values: [-1, -2])], stacked: true, valueTitle: "n", unit: ""),
            BurnDownChart(title: "Empty burn", summary: "none", points: [], valueTitle: "n", unit: ""),
            BurnDownChart(title: "Gappy burn", summary: "gaps", points: [.init(label: "a", value: 1), .init(label: "b", value: nil), .init(label: "c", value: 2)], valueTitle: "n", unit: ""),
            CalendarHeatmap(title: "Empty heat", summary: "none", firstDay: 100, lastDay: 100, counts: [:], unit: "runs"),
            CalendarHeatmap(title: "Reversed", summary: "rev", firstDay: 500, lastDay: 10, counts: [:], unit: "runs"),
            CalendarHeatmap(title: "Long", summary: "long", firstDay: 0, lastDay: 5000, counts: [4999: 3], unit: "runs"),
            CalendarHeatmap(title: "Extreme", summary: "ext", firstDay: Int.min, lastDay: Int.max, counts: [Int.max: 1], unit: "runs"),
            Sparkline(title: "Empty spark", summary: "none", points: [], unit: ""),
            Sparkline(title: "One spark", summary: "one", points: [.init(label: "a", value: 3)], unit: ""),
        ]
        for chart in charts {
            let svg = chart.svg()
            #expect(xmlError(svg) == nil, "\(chart.title)")
            #expect(!svg.contains("NaN") && !svg.contains("inf"), "\(chart.title)")
            #expect(xmlError("<div>" + chart.dataTableHTML() + "</div>") == nil)
        }
    }

    @Test func heatmapLevelsAndLength() {
        let heat = CalendarHeatmap(title: "h", summary: "s", firstDay: 0, lastDay: 5000, counts: [4999: 4, 4998: 1, 4997: 2], unit: "runs")
        #expect(heat.lastDay - heat.firstDay + 1 == CalendarHeatmap.maximumDays)
        #expect(heat.level(0) == 0)
        #expect(heat.level(1) == 1)
        #expect(heat.level(2) == 2)
        #expect(heat.level(3) == 3)
        #expect(heat.level(4) == 4)
    }

    @Test func dataTableContent() {
        let table = ChartSamples.outcomes.dataTableHTML()
        #expect(table.contains("<caption>Drill outcomes per quarter</caption>"))
        #expect(table.contains("<th scope=\"col\">Quarter</th><th scope=\"col\">Passed (runs)</th>"))
        #expect(table.contains("<tr><th scope=\"row\">2025-Q3</th><td>7</td><td>2</td><td>–</td><td>9</td></tr>"))
    }
}
