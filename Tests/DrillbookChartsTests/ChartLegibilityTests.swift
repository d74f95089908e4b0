import DrillbookCharts
import Foundation
import Testing

/// Charts a reader can read: legends that never collide, series with 3:1 contrast, text that stays
/// at 11 CSS px or more on a 375 px phone. Each check has a negative control that fails it.
@Suite struct ChartLegibilityTests {
    /// One legend entry as drawn: its row (baseline y) and horizontal extent, swatch included.
    struct LegendEntry: Equatable {
        var label: String
        var y: Double
        var start: Double
        var end: Double
    }

    /// The entries of the `<g class="legend">` of `svg`, measured with `TextMetrics`.
    static func legendEntries(_ svg: String) -> [LegendEntry] {
        guard let open = svg.range(of: "<g class=\"legend\">"), let close = svg.range(of: "</g>", range: open.upperBound..<svg.endIndex)
        else { return [] }
        let legend = String(svg[open.upperBound..<close.lowerBound])
        let pattern = try! NSRegularExpression(pattern: "<text class=\"label\" x=\"([0-9.]+)\" y=\"([0-9.]+)\"[^>]*>([^<]*)</text>")
        return pattern.matches(in: legend, range: NSRange(legend.startIndex..., in: legend)).map { match in
            let part = { (index: Int) in String(legend[Range(match.range(at: index), in: legend)!]) }
            let x = Double(part(1))!
            let label = part(3).replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            return LegendEntry(label: label, y: Double(part(2))!, start: x - 22, end: x + TextMetrics.width(label))
        }
    }

    /// Pairs of entries on one row that touch or overlap, and entries that run past `width`.
    static func collisions(_ entries: [LegendEntry], width: Double) -> [String] {
        var problems: [String] = []
        for row in Dictionary(grouping: entries, by: \.y).values {
            let sorted = row.sorted { $0.start < $1.start }
            for (left, right) in zip(sorted, sorted.dropFirst()) where left.end + 4 > right.start {
                problems.append(left.label + " runs into " + right.label)
            }
        }
        problems += entries.filter { $0.end > width }.map { $0.label + " runs past the chart" }
        return problems
    }

    static let longLabels = BarChart(
        id: "long", title: "Open action items at month end", summary: "s", categories: ["2026-10", "2026-11"],
        series: [
            .init(label: "Open, not overdue", values: [3, 2]), .init(label: "Overdue", values: [5, 7]),
            .init(label: "Closed within the quarter they were raised in", values: [1, 1]),
            .init(label: "A label far longer than any row of a narrow chart could ever hold in one line", values: [1, 2]),
        ],
        stacked: true, valueTitle: "Open items (count)", unit: "items", target: TargetLine(value: 6, label: "Target ≤ 6 open"))

    static var resizable: [any ResizableChart] {
        ChartSamples.all.compactMap { $0.chart as? any ResizableChart } + [longLabels]
    }

    @Test(arguments: [320.0, 420, 640])
    func legendEntriesNeverOverlapAndStayInsideTheChart(width: Double) {
        for chart in Self.resizable where !(chart is CalendarHeatmap) {
            let drawn = chart.resized(width: width, height: 280, idSuffix: "w")
            let entries = Self.legendEntries(drawn.svg())
            #expect(!entries.isEmpty, "\(chart.title) has a legend")
            #expect(Self.collisions(entries, width: width).isEmpty, "\(chart.title) at \(width): \(Self.collisions(entries, width: width))")
        }
    }

    @Test func aNarrowLegendWrapsIntoRowsAndShortensWhatCannotFit() {
        let entries = Self.legendEntries(Self.longLabels.resized(width: 320, height: 280, idSuffix: "n").svg())
        #expect(Set(entries.map(\.y)).count >= 3)
        #expect(entries.contains { $0.label.hasSuffix("…") && $0.label.hasPrefix("A label far longer") })
        #expect(entries.first { $0.label == "Open, not overdue" }?.y == entries.first { $0.label == "Overdue" }?.y)
    }

    /// Negative control: the check catches entries drawn too close (the dashboard's legend as it
    /// rendered with 14 px text: "Open, not overdue" ran into the Overdue swatch) and past the edge.
    @Test func theCollisionCheckCatchesEntriesThatTouch() {
        let tight = "<svg><g class=\"legend\"><text class=\"label\" x=\"86\" y=\"18\">Open, not overdue</text>"
            + "<text class=\"label\" x=\"210\" y=\"18\">Overdue</text><text class=\"label\" x=\"300\" y=\"36\">Overdue</text></g></svg>"
        let entries = Self.legendEntries(tight)
        #expect(entries.count == 3)
        #expect(Self.collisions(entries, width: 320) == ["Open, not overdue runs into Overdue", "Overdue runs past the chart"])
    }

    @Test func textIsMeasuredWithDejaVuSans() {
        // Chromium measures this label at 112.31 px in DejaVu Sans 12 px (getComputedTextLength;
        // kerning narrows it a little); the table gives the unkerned advance widths.
        #expect(abs(TextMetrics.width("Open, not overdue") - 112.51) < 0.01)
        #expect(TextMetrics.width("MMMM") > TextMetrics.width("iiii") * 3)
        #expect(TextMetrics.width("漢字", fontSize: 10) == 20)
        #expect(TextMetrics.width("") == 0)
    }

    // MARK: Contrast

    static func luminance(_ hex: String) -> Double {
        let digits = Array(hex.dropFirst())
        let channels = stride(from: 0, to: 6, by: 2).map { Double(Int(String(digits[$0...$0 + 1]), radix: 16)!) / 255 }
        let linear = channels.map { $0 <= 0.04045 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    }

    /// The WCAG contrast ratio of two `#rrggbb` colours.
    static func contrast(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    static func fallbackHex(_ css: String) -> String {
        String(css.split(separator: "#").last!.prefix(6)).uppercased().withHash
    }

    /// Every series colour has 3:1 against a white chart and against the dark theme's surface
    /// (#171d24); the eighth (black) is replaced by the dark theme, so it is checked on white only.
    @Test func everySeriesHasThreeToOneContrastLightAndDark() {
        for index in 0..<8 {
            let hex = Self.fallbackHex(ChartPalette.seriesColor(index))
            #expect(Self.contrast(hex, "#FFFFFF") >= 3, "series \(index + 1) \(hex) on white")
            if index < 7 { #expect(Self.contrast(hex, "#171D24") >= 3, "series \(index + 1) \(hex) on dark") }
        }
    }

    /// Negative control: Okabe–Ito's orange and sky blue, the series colours before, fail the check.
    @Test func theContrastCheckRejectsTheOldOrangeAndSkyBlue() {
        #expect(abs(Self.contrast("#E69F00", "#FFFFFF") - 2.25) < 0.01)
        #expect(abs(Self.contrast("#56B4E9", "#FFFFFF") - 2.31) < 0.01)
        #expect(Self.contrast("#0072B2", "#FFFFFF") >= 3)
    }

    // MARK: Text size on a phone

    /// The width a figure's drawing gets on a 375 px screen: 375 − 2 × 13.6 (page padding)
    /// − 2 × 13 (figure padding and border).
    static let phoneDrawingWidth = 321.8

    static func viewBoxWidth(_ svg: String) -> Double {
        let start = svg.range(of: "viewBox=\"0 0 ")!.upperBound
        return Double(svg[start...].prefix { $0 != " " })!
    }

    /// Chart text is 12 units; drawn 320 units wide it renders at ≥ 11 px on a phone, while the
    /// 640-unit drawing (the negative control) renders it at 6 px.
    @Test func theNarrowDrawingKeepsChartTextAtElevenPixelsOnAPhone() {
        for chart in Self.resizable {
            let narrow = chart.resized(width: 320, height: 260, idSuffix: "narrow").svg()
            #expect(narrow.contains("font-size=\"12\""))
            #expect(12 * Self.phoneDrawingWidth / Self.viewBoxWidth(narrow) >= 11)
            #expect(narrow.contains("-narrow-title"))
            guard !(chart is CalendarHeatmap) else { continue }
            let wide = chart.resized(width: 640, height: 260, idSuffix: "wide").svg()
            #expect(12 * Self.phoneDrawingWidth / Self.viewBoxWidth(wide) < 7)
        }
    }

    /// A year of days is 53 weeks (892 units, 4.3 px text on a phone); drawn narrow it wraps into
    /// four bands of 14 weeks, every day still drawn once.
    @Test func theHeatmapWrapsIntoBandsOfWeeksWhenNarrow() {
        let year = CalendarHeatmap(title: "Runs per day", summary: "s", firstDay: 20_000, lastDay: 20_364, counts: [20_010: 2], unit: "runs")
        let natural = year.svg()
        #expect(Self.viewBoxWidth(natural) == 34 + 53 * 16 + 10)
        #expect(12 * Self.phoneDrawingWidth / Self.viewBoxWidth(natural) < 5)
        let narrow = year.resized(width: 320, height: 0, idSuffix: "narrow").svg()
        #expect(Self.viewBoxWidth(narrow) == 34 + 14 * 16 + 10)
        #expect(12 * Self.phoneDrawingWidth / Self.viewBoxWidth(narrow) >= 11)
        #expect(narrow.components(separatedBy: "class=\"day heat-").count == natural.components(separatedBy: "class=\"day heat-").count)
        #expect(narrow.components(separatedBy: ">Mon</text>").count - 1 == 4)
    }

    @Test func aSeriesCanCarryItsOwnColour() {
        let chart = BarChart(
            title: "Incidents", summary: "s", categories: ["2026-Q4"],
            series: [.init(label: "P1", values: [1], color: ChartColor(variable: "severity-p1", fallback: "#D55E00"))],
            valueTitle: "Incidents (count)", unit: "incidents")
        let svg = chart.svg()
        #expect(svg.contains("fill=\"#D55E00\" style=\"fill:var(--severity-p1, #D55E00)\""))
        #expect(!svg.contains("var(--chart-1"))
        // Hostile names and colours cannot leave the declaration.
        let hostile = ChartColor(variable: "x);background:url(y", fallback: "red;x:y")
        #expect(hostile.variable == "xbackgroundurly")
        #expect(hostile.fallback == "#0072B2")
    }
}

extension String {
    fileprivate var withHash: String { "#" + self }
}
