/// Values over time as a line or as scattered points, with an optional horizontal target line and
/// pass/fail markers (pass = circle, fail = cross).
///
/// x values are seconds since 1970 (UTC); points without a value (`y == nil`) break the line.
public struct TimeSeriesChart: ResizableChart, Hashable {
    public enum Style: String, Sendable, Hashable {
        /// Points joined by a line (gaps where a value is missing), with markers.
        case line
        /// Markers only.
        case scatter
    }

    public struct Point: Sendable, Hashable {
        /// Seconds since 1970 (UTC).
        public var x: Double
        /// The value, nil when missing.
        public var y: Double?
        public var status: PointStatus
        /// The point's name in tooltips and the data table (e.g. the run's day and id).
        public var label: String

        public init(x: Double, y: Double?, status: PointStatus = .neutral, label: String) {
            self.x = x
            self.y = y
            self.status = status
            self.label = label
        }
    }

    public struct Series: Sendable, Hashable {
        public var label: String
        public var points: [Point]
        public var style: Style

        public init(label: String, points: [Point], style: Style = .line) {
            self.label = label
            self.points = points
            self.style = style
        }
    }

    /// Unique among the charts of a page (used for `aria-labelledby` ids).
    public var id: String
    public var title: String
    public var summary: String
    /// y axis title with its unit, e.g. `Recovery time (s)`.
    public var valueTitle: String
    /// Unit appended to values in tooltips and the table, e.g. `s`.
    public var unit: String
    /// x axis title, e.g. `Run date (UTC)`; nil for none.
    public var timeTitle: String?
    public var series: [Series]
    public var target: TargetLine?
    public var width: Double
    public var height: Double

    public init(
        id: String? = nil, title: String, summary: String, valueTitle: String, unit: String, timeTitle: String? = nil,
        series: [Series], target: TargetLine? = nil, width: Double = 640, height: Double = 320
    ) {
        self.id = SVGFormat.identifier(id ?? title)
        self.title = title
        self.summary = summary
        self.valueTitle = valueTitle
        self.unit = unit
        self.timeTitle = timeTitle
        self.series = series
        self.target = target
        (self.width, self.height) = SVGFormat.chartSize(width: width, height: height)
    }

    func valueText(_ value: Double?) -> String { SVGFormat.valueText(value, unit: unit) }

    public func svg() -> String {
        SVGWriter.document(id: id, title: title, summary: summary, width: width, height: height, className: "time-series") { w in
            // Points with a verdict are drawn in the verdict's shape and colour; when several scatter
            // series share the chart, a ring in the series colour says which series a point is in.
            let scattered = series.filter { $0.style == .scatter }
            let ringed = scattered.count > 1 && scattered.contains { $0.points.contains { $0.status != .neutral } }
            var legend: [LegendItem] = series.enumerated().map { index, item in
                let color = ChartPalette.seriesColor(index)
                let swatch: LegendItem.Swatch =
                    item.style == .line ? .line(color, dash: nil) : ringed ? .ring(color) : .marker(.neutral, color)
                return LegendItem(label: item.label, swatch: swatch)
            }
            let statuses = Set(series.flatMap { $0.points.map(\.status) })
            if statuses.contains(.pass) { legend.append(LegendItem(label: "Passed", swatch: .marker(.pass, ChartPalette.pass))) }
            if statuses.contains(.fail) { legend.append(LegendItem(label: "Failed", swatch: .marker(.fail, ChartPalette.fail))) }
            if let target { legend.append(LegendItem(label: target.label, swatch: .line(ChartPalette.target, dash: "6 4"))) }
            let legendHeight = w.legend(legend, x: 64, y: 18, maxWidth: width - 80)
            let area = PlotArea(left: 64, top: 18 + legendHeight + 4, right: width - 20, bottom: height - (timeTitle == nil ? 28 : 46))
            let values = series.flatMap { $0.points.compactMap(\.y) } + (target.map { [$0.value] } ?? [])
            let y = LinearScale(covering: values, includingZero: true, range: (area.bottom, area.top))
            let ticks = y.ticks(count: 5)
            w.yAxis(scale: y, ticks: ticks, decimals: LinearScale.decimals(forStep: y.tickStep(count: 5)), area: area, title: valueTitle)
            let xs = series.flatMap { $0.points.map(\.x) }
            let x = TimeScale(covering: xs, range: (area.left, area.right))
            let maxTicks = max(2, Int(area.width / 90))
            w.xAxis(labels: x.ticks(maxCount: maxTicks).map { (x.position($0.value), $0.label) }, area: area, title: timeTitle)
            if let target, target.value.isFinite {
                let ty = y.position(target.value)
                w.line(area.left, ty, area.right, ty, stroke: ChartPalette.target, className: "target", width: 2, dash: "6 4")
            }
            for (index, item) in series.enumerated() {
                let color = ChartPalette.seriesColor(index)
                let points = item.points.filter { $0.x.isFinite }.sorted { $0.x < $1.x }
                w.open("g", [("class", "series series-" + String(index + 1))])
                if item.style == .line {
                    var d = ""
                    var penDown = false
                    for point in points {
                        guard let value = point.y, value.isFinite else {
                            penDown = false
                            continue
                        }
                        d += (penDown ? "L" : "M") + n(x.position(point.x)) + " " + n(y.position(value))
                        penDown = true
                    }
                    if !d.isEmpty {
                        w.element("path", [("class", "series-line"), ("d", d), ("style", "fill:none;stroke:" + color), ("stroke-width", "2"), ("stroke-linejoin", "round")])
                    }
                }
                for point in points {
                    guard let value = point.y, value.isFinite else { continue }
                    if ringed && item.style == .scatter {
                        w.ring(x: x.position(point.x), y: y.position(value), color: color)
                    }
                    w.marker(point.status, x: x.position(point.x), y: y.position(value), color: color, tooltip: point.label + ": " + valueText(value), neutralRadius: item.style == .scatter ? 4.5 : 3.5)
                }
                w.close("g")
                w.newline()
            }
        }
    }

    public func dataTableHTML() -> String {
        var rows: [(header: String, cells: [String])] = []
        for item in series {
            for point in item.points.sorted(by: { $0.x < $1.x }) {
                let result: String
                switch point.status {
                case .pass: result = "Passed"
                case .fail: result = "Failed"
                case .neutral: result = ""
                }
                rows.append((point.label, [item.label, valueText(point.y), result]))
            }
        }
        var columns = ["Point", "Series", valueTitle, "Result"]
        if let target { columns[3] = "Result (" + target.label + ")" }
        return DataTable.html(caption: title, columns: columns, rows: rows)
    }
}
