import DrillbookModel

/// Open items over time as a filled area (e.g. action items open at each month end).
public struct BurnDownChart: ResizableChart, Hashable {
    public struct Point: Sendable, Hashable {
        /// Category label, e.g. `2026-03`.
        public var label: String
        /// Nil for a gap.
        public var value: Double?

        public init(label: String, value: Double?) {
            self.label = label
            self.value = value
        }
    }

    public var id: String
    public var title: String
    public var summary: String
    public var points: [Point]
    /// y axis title with its unit, e.g. `Open action items (count)`.
    public var valueTitle: String
    public var unit: String
    /// Title of the label column in the table, e.g. `Month end`.
    public var categoryTitle: String
    public var width: Double
    public var height: Double

    public init(
        id: String? = nil, title: String, summary: String, points: [Point], valueTitle: String, unit: String,
        categoryTitle: String = "Period", width: Double = 640, height: Double = 320
    ) {
        self.id = SVGFormat.identifier(id ?? title)
        self.title = title
        self.summary = summary
        self.points = points
        self.valueTitle = valueTitle
        self.unit = unit
        self.categoryTitle = categoryTitle
        (self.width, self.height) = SVGFormat.chartSize(width: width, height: height)
    }

    func valueText(_ value: Double?) -> String { SVGFormat.valueText(value, unit: unit) }

    public func svg() -> String {
        SVGWriter.document(id: id, title: title, summary: summary, width: width, height: height, className: "burn-down") { w in
            let legendHeight = w.legend([LegendItem(label: valueTitle, swatch: .box(ChartPalette.seriesColor(0)))], x: 64, y: 18, maxWidth: width - 80)
            let area = PlotArea(left: 64, top: 18 + legendHeight + 4, right: width - 20, bottom: height - 28)
            let values = points.compactMap { $0.value }.filter(\.isFinite)
            let y = LinearScale(covering: values, includingZero: true, range: (area.bottom, area.top))
            w.yAxis(scale: y, ticks: y.ticks(count: 5), decimals: LinearScale.decimals(forStep: y.tickStep(count: 5)), area: area, title: valueTitle)
            let bands = BandScale(categories: points.map(\.label), range: (area.left, area.right), padding: 0)
            let color = ChartPalette.seriesColor(0)
            // Runs of consecutive points with values become separate areas.
            var runs: [[(x: Double, y: Double)]] = []
            var current: [(x: Double, y: Double)] = []
            for (index, point) in points.enumerated() {
                if let value = point.value, value.isFinite {
                    current.append((bands.center(index), y.position(value)))
                } else if !current.isEmpty {
                    runs.append(current)
                    current = []
                }
            }
            if !current.isEmpty { runs.append(current) }
            let baseline = y.position(max(0, y.domainLower))
            w.open("g", [("class", "series series-1")])
            for run in runs {
                var area = "M" + n(run[0].x) + " " + n(baseline)
                var line = ""
                for (index, point) in run.enumerated() {
                    area += "L" + n(point.x) + " " + n(point.y)
                    line += (index == 0 ? "M" : "L") + n(point.x) + " " + n(point.y)
                }
                area += "L" + n(run[run.count - 1].x) + " " + n(baseline) + "Z"
                w.element("path", [("class", "area"), ("d", area), ("style", "fill:" + color), ("fill-opacity", "0.25")])
                w.element("path", [("class", "series-line"), ("d", line), ("style", "fill:none;stroke:" + color), ("stroke-width", "2"), ("stroke-linejoin", "round")])
            }
            for (index, point) in points.enumerated() {
                guard let value = point.value, value.isFinite else { continue }
                w.marker(.neutral, x: bands.center(index), y: y.position(value), color: color, tooltip: point.label + ": " + valueText(value))
            }
            w.close("g")
            w.newline()
            let labelWidth = (points.map { w.estimatedWidth($0.label) }.max() ?? 0) + 6
            let every = bands.step > 0 ? max(1, Int((labelWidth / bands.step).rounded(.up))) : 1
            w.xAxis(labels: points.indices.filter { $0 % every == 0 }.map { (bands.center($0), points[$0].label) }, area: area, title: nil)
        }
    }

    public func dataTableHTML() -> String {
        DataTable.html(
            caption: title, columns: [categoryTitle, valueTitle],
            rows: points.map { ($0.label, [$0.value.map { MetricFormat.compact($0) } ?? "–"]) })
    }
}
