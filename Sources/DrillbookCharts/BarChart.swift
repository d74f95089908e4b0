import DrillbookModel

/// Bars per category (month or quarter): grouped side by side, or stacked.
///
/// Missing values (`nil`) draw no bar and print `–` in the table. Stacked bars stack positive values
/// upwards and negative values downwards from zero.
public struct BarChart: ResizableChart, Hashable {
    public struct Series: Sendable, Hashable {
        public var label: String
        /// One value per category (missing trailing values count as nil).
        public var values: [Double?]
        /// The series' own colour (e.g. a severity's); nil for the palette's colour at its position.
        public var color: ChartColor?

        public init(label: String, values: [Double?], color: ChartColor? = nil) {
            self.label = label
            self.values = values
            self.color = color
        }
    }

    public var id: String
    public var title: String
    public var summary: String
    /// Category labels in order (`2026-01`, `2026-Q1`).
    public var categories: [String]
    public var series: [Series]
    public var stacked: Bool
    /// y axis title with its unit, e.g. `Runs (count)`.
    public var valueTitle: String
    public var unit: String
    /// Title of the category column in the table, e.g. `Month`.
    public var categoryTitle: String
    public var target: TargetLine?
    public var width: Double
    public var height: Double

    public init(
        id: String? = nil, title: String, summary: String, categories: [String], series: [Series], stacked: Bool = false,
        valueTitle: String, unit: String, categoryTitle: String = "Period", target: TargetLine? = nil,
        width: Double = 640, height: Double = 320
    ) {
        self.id = SVGFormat.identifier(id ?? title)
        self.title = title
        self.summary = summary
        self.categories = categories
        self.series = series
        self.stacked = stacked
        self.valueTitle = valueTitle
        self.unit = unit
        self.categoryTitle = categoryTitle
        self.target = target
        (self.width, self.height) = SVGFormat.chartSize(width: width, height: height)
    }

    func value(_ series: Series, _ index: Int) -> Double? {
        guard index < series.values.count, let value = series.values[index], value.isFinite else { return nil }
        return value
    }

    func valueText(_ value: Double?) -> String { SVGFormat.valueText(value, unit: unit) }

    public func svg() -> String {
        SVGWriter.document(id: id, title: title, summary: summary, width: width, height: height, className: stacked ? "bar-chart stacked" : "bar-chart") { w in
            var legend = series.enumerated().map { LegendItem(label: $1.label, swatch: .box(ChartPalette.seriesColor($0, $1.color))) }
            if let target { legend.append(LegendItem(label: target.label, swatch: .line(ChartPalette.target, dash: "6 4"))) }
            let legendHeight = w.legend(legend, x: 64, y: 18, maxWidth: width - 80)
            let area = PlotArea(left: 64, top: 18 + legendHeight + 4, right: width - 20, bottom: height - 28)
            var extent: [Double] = target.map { [$0.value] } ?? []
            for index in categories.indices {
                if stacked {
                    extent.append(series.compactMap { value($0, index) }.filter { $0 > 0 }.reduce(0, +))
                    extent.append(series.compactMap { value($0, index) }.filter { $0 < 0 }.reduce(0, +))
                } else {
                    extent += series.compactMap { value($0, index) }
                }
            }
            let y = LinearScale(covering: extent, includingZero: true, range: (area.bottom, area.top))
            w.yAxis(scale: y, ticks: y.ticks(count: 5), decimals: LinearScale.decimals(forStep: y.tickStep(count: 5)), area: area, title: valueTitle)
            let bands = BandScale(categories: categories, range: (area.left, area.right), padding: 0.25)
            let labelWidth = (categories.map { w.estimatedWidth($0) }.max() ?? 0) + 6
            let every = bands.step > 0 ? max(1, Int((labelWidth / bands.step).rounded(.up))) : 1
            let labels = categories.indices.filter { $0 % every == 0 }.map { (bands.center($0), categories[$0]) }
            let zero = y.position(0)
            for (seriesIndex, item) in series.enumerated() {
                w.open("g", [("class", "series series-" + String(seriesIndex + 1))])
                for index in categories.indices {
                    guard let value = value(item, index) else { continue }
                    let x: Double
                    let barWidth: Double
                    var base = 0.0
                    if stacked {
                        x = bands.start(index)
                        barWidth = bands.bandwidth
                        base = series[..<seriesIndex].compactMap { self.value($0, index) }.filter { ($0 < 0) == (value < 0) }.reduce(0, +)
                    } else {
                        barWidth = bands.bandwidth / Double(max(1, series.count))
                        x = bands.start(index) + barWidth * Double(seriesIndex)
                    }
                    let top = y.position(base + value)
                    let bottom = stacked ? y.position(base) : zero
                    w.rect(
                        x: x + (stacked ? 0 : 0.5), y: min(top, bottom), width: barWidth - (stacked ? 0 : 1), height: abs(bottom - top),
                        fill: ChartPalette.seriesColor(seriesIndex, item.color), className: "bar",
                        tooltip: categories[index] + ", " + item.label + ": " + valueText(value))
                }
                w.close("g")
                w.newline()
            }
            w.xAxis(labels: labels, area: PlotArea(left: area.left, top: area.top, right: area.right, bottom: zero < area.bottom ? area.bottom : zero), title: nil)
            if let target, target.value.isFinite {
                let ty = y.position(target.value)
                w.line(area.left, ty, area.right, ty, stroke: ChartPalette.target, className: "target", width: 2, dash: "6 4")
            }
        }
    }

    public func dataTableHTML() -> String {
        var columns = [categoryTitle] + series.map { $0.label + (unit.isEmpty ? "" : " (" + unit + ")") }
        if stacked { columns.append("Total" + (unit.isEmpty ? "" : " (" + unit + ")")) }
        let rows = categories.indices.map { index -> (header: String, cells: [String]) in
            var cells = series.map { value($0, index).map { MetricFormat.compact($0) } ?? "–" }
            if stacked {
                let present = series.compactMap { value($0, index) }
                cells.append(present.isEmpty ? "–" : MetricFormat.compact(present.reduce(0, +)))
            }
            return (categories[index], cells)
        }
        return DataTable.html(caption: title, columns: columns, rows: rows)
    }
}
