import DrillbookModel

/// Values observed during one run over the seconds since it started (a probe's latencies, a
/// monitoring query's samples), with failed observations marked by crosses and labelled vertical
/// marks at given instants (a fault, its detection, the recovery).
///
/// Drawn for hundreds of points per series: a series is one line, its failed points one path of
/// crosses, so the SVG grows by a few characters per point; the data table has every point.
public struct EvidenceChart: ResizableChart, Hashable {
    public struct Point: Sendable, Hashable {
        /// Seconds after the run started.
        public var t: Double
        /// The value, nil when the observation has none (an attempt that never finished).
        public var value: Double?
        /// Whether the observation passed; nil when it carries no verdict.
        public var ok: Bool?

        public init(t: Double, value: Double?, ok: Bool?) {
            self.t = t
            self.value = value
            self.ok = ok
        }
    }

    public struct Series: Sendable, Hashable {
        public var label: String
        public var points: [Point]

        public init(label: String, points: [Point]) {
            self.label = label
            self.points = points
        }
    }

    /// A labelled instant drawn as a vertical line; its `style` sets the dash, so marks differ by
    /// more than colour.
    public struct Mark: Sendable, Hashable {
        public enum Style: String, Sendable, Hashable {
            case fault, detection, recovery
        }

        public var t: Double
        public var label: String
        public var style: Style

        public init(t: Double, label: String, style: Style) {
            self.t = t
            self.label = label
            self.style = style
        }
    }

    public var id: String
    public var title: String
    public var summary: String
    /// y axis title with its unit, e.g. `Latency (s)`.
    public var valueTitle: String
    /// Appended to values in the table, e.g. `s`.
    public var unit: String
    public var series: [Series]
    public var marks: [Mark]
    public var width: Double
    public var height: Double

    public init(
        id: String? = nil, title: String, summary: String, valueTitle: String, unit: String, series: [Series],
        marks: [Mark] = [], width: Double = 640, height: Double = 320
    ) {
        self.id = SVGFormat.identifier(id ?? title)
        self.title = title
        self.summary = summary
        self.valueTitle = valueTitle
        self.unit = unit
        self.series = series
        self.marks = marks.filter { $0.t.isFinite }.sorted { ($0.t, $0.label) < ($1.t, $1.label) }
        (self.width, self.height) = SVGFormat.chartSize(width: width, height: height)
    }

    /// The x axis title.
    public static let timeTitle = "Seconds after the run started"

    static func dash(_ style: Mark.Style) -> String {
        switch style {
        case .fault: "none"
        case .detection: "5 3"
        case .recovery: "2 3"
        }
    }

    static func markColor(_ style: Mark.Style) -> String {
        switch style {
        case .fault: ChartPalette.fail
        case .detection: ChartPalette.target
        case .recovery: ChartPalette.pass
        }
    }

    /// Distance between the baselines of two rows of mark labels.
    static let markRowHeight = 15.0

    public func svg() -> String {
        SVGWriter.document(id: id, title: title, summary: summary, width: width, height: height, className: "evidence") { w in
            var legend = series.enumerated().map { LegendItem(label: $1.label, swatch: .line(ChartPalette.seriesColor($0), dash: nil)) }
            if series.contains(where: { $0.points.contains { $0.ok == false } }) {
                legend.append(LegendItem(label: "Failed attempt", swatch: .marker(.fail, ChartPalette.fail)))
            }
            let legendHeight = w.legend(legend, x: 64, y: 18, maxWidth: width - 80)
            let left = 64.0
            let right = width - 20
            let xs = series.flatMap { $0.points.map(\.t) } + marks.map(\.t)
            let x = LinearScale(covering: xs, includingZero: false, range: (left, right))
            // Mark labels in rows above the plot: a label that would touch the one before it on a
            // row goes to the next row; one that would run past the right edge ends at the line.
            var placed: [(label: String, x: Double, row: Int, anchor: String)] = []
            var rowEnds: [Double] = []
            for mark in marks {
                let position = x.position(mark.t)
                let label = SVGWriter.shortened(mark.label, toWidth: right - left)
                let textWidth = TextMetrics.width(label, fontSize: 12)
                let anchor = position + textWidth > width - 4 ? "end" : "start"
                let start = anchor == "end" ? position - textWidth : position + 3
                let row = rowEnds.firstIndex { $0 + 6 <= start } ?? rowEnds.count
                if row == rowEnds.count { rowEnds.append(0) }
                rowEnds[row] = start + textWidth
                placed.append((label, position, row, anchor))
            }
            let marksTop = 18 + legendHeight + 4
            let area = PlotArea(
                left: left, top: marksTop + Double(rowEnds.count) * Self.markRowHeight + (rowEnds.isEmpty ? 0 : 4), right: right,
                bottom: height - 46)
            let values = series.flatMap { $0.points.compactMap(\.value) }
            let y = LinearScale(covering: values, includingZero: true, range: (area.bottom, area.top))
            w.yAxis(scale: y, ticks: y.ticks(count: 5), decimals: LinearScale.decimals(forStep: y.tickStep(count: 5)), area: area, title: valueTitle)
            let step = x.tickStep(count: max(2, Int(area.width / 70)))
            let xDecimals = LinearScale.decimals(forStep: step)
            w.xAxis(
                labels: x.ticks(count: max(2, Int(area.width / 70))).map { (x.position($0), MetricFormat.compact($0, decimals: xDecimals)) },
                area: area, title: Self.timeTitle)
            for (index, item) in series.enumerated() {
                let color = ChartPalette.seriesColor(index)
                let points = item.points.filter { $0.t.isFinite }.sorted { $0.t < $1.t }
                w.open("g", [("class", "series series-" + String(index + 1))])
                var line = ""
                var crosses = ""
                var failed = 0
                for point in points {
                    let px = x.position(point.t)
                    let py = point.value.map { $0.isFinite ? y.position($0) : area.bottom } ?? area.bottom
                    if let value = point.value, value.isFinite { line += (line.isEmpty ? "M" : "L") + n(px) + " " + n(py) }
                    if point.ok == false {
                        failed += 1
                        crosses += "M" + n(px - 4) + " " + n(py - 4) + "l8 8m-8 0l8-8"
                    }
                }
                if line.contains("L") {
                    w.element("path", [("class", "series-line"), ("d", line), ("style", "fill:none;stroke:" + color), ("stroke-width", "1.5"), ("stroke-linejoin", "round")])
                } else if let only = points.first(where: { $0.value?.isFinite == true }), let value = only.value {
                    w.element("circle", [("class", "marker"), ("cx", n(x.position(only.t))), ("cy", n(y.position(value))), ("r", "3"), ("style", "fill:" + color)])
                }
                if !crosses.isEmpty {
                    w.open("path", [("class", "marker-fail"), ("d", crosses), ("style", "fill:none;stroke:" + ChartPalette.fail), ("stroke-width", "2"), ("stroke-linecap", "round")])
                    w.element("title", [], text: item.label + ": " + String(failed) + (failed == 1 ? " failed attempt" : " failed attempts"))
                    w.close("path")
                }
                w.close("g")
                w.newline()
            }
            if !marks.isEmpty {
                w.open("g", [("class", "marks")])
                w.newline()
                for (mark, place) in zip(marks, placed) {
                    let color = Self.markColor(mark.style)
                    let labelY = marksTop + Double(place.row + 1) * Self.markRowHeight - 3
                    w.open("g", [("class", "mark mark-" + mark.style.rawValue)])
                    w.element("title", [], text: mark.label + " at " + MetricFormat.compact(mark.t) + " s")
                    var line: [(String, String)] = [
                        ("class", "mark-line"), ("x1", n(place.x)), ("y1", n(labelY - 10)), ("x2", n(place.x)), ("y2", n(area.bottom)),
                        ("style", "stroke:" + color), ("stroke-width", "1.5"),
                    ]
                    if mark.style != .fault { line.append(("stroke-dasharray", Self.dash(mark.style))) }
                    w.element("line", line)
                    w.text(place.label, x: place.x + (place.anchor == "end" ? -3 : 3), y: labelY, anchor: place.anchor, className: "mark-label")
                    w.close("g")
                    w.newline()
                }
                w.close("g")
                w.newline()
            }
        }
    }

    /// Every point, in time order (then series order): time, series, value, whether it passed.
    public var rows: [(time: String, series: String, value: String, ok: String)] {
        var all: [(t: Double, index: Int, row: (time: String, series: String, value: String, ok: String))] = []
        for (index, item) in series.enumerated() {
            for point in item.points where point.t.isFinite {
                let ok = point.ok.map { $0 ? "yes" : "failed" } ?? "–"
                all.append((point.t, index, (MetricFormat.fixed(point.t, decimals: 3), item.label, valueText(point.value), ok)))
            }
        }
        return all.sorted { ($0.t, $0.index) < ($1.t, $1.index) }.map(\.row)
    }

    /// A value to four decimals (a probe's latency is often a few milliseconds), with the unit.
    func valueText(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return MetricFormat.fixed(value, decimals: 4) + (unit.isEmpty ? "" : " " + unit)
    }

    public func dataTableHTML() -> String {
        DataTable.html(
            caption: title, columns: ["Time (s)", "Series", valueTitle, "OK"],
            rows: rows.map { ($0.time, [$0.series, $0.value, $0.ok]) })
    }
}
