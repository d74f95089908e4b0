import DrillbookModel

/// A small inline line for table cells: no axes, the last value marked, an optional target line.
public struct Sparkline: SVGChart, Hashable {
    public struct Point: Sendable, Hashable {
        public var label: String
        /// Nil for a gap.
        public var value: Double?
        public var status: PointStatus

        public init(label: String, value: Double?, status: PointStatus = .neutral) {
            self.label = label
            self.value = value
            self.status = status
        }
    }

    public var id: String
    public var title: String
    public var summary: String
    public var points: [Point]
    public var unit: String
    public var target: Double?
    public var width: Double
    public var height: Double

    public init(
        id: String? = nil, title: String, summary: String, points: [Point], unit: String, target: Double? = nil,
        width: Double = 120, height: Double = 28
    ) {
        self.id = SVGFormat.identifier(id ?? title)
        self.title = title
        self.summary = summary
        self.points = points
        self.unit = unit
        self.target = target
        self.width = max(40, width.isFinite ? width : 120)
        self.height = max(12, height.isFinite ? height : 28)
    }

    public func svg() -> String {
        SVGWriter.document(id: id, title: title, summary: summary, width: width, height: height, className: "sparkline") { w in
            let values = points.compactMap(\.value) + (target.map { [$0] } ?? [])
            let finite = values.filter(\.isFinite)
            let y = LinearScale(domain: (finite.min() ?? 0, finite.max() ?? 1), range: (height - 4, 4))
            let x = LinearScale(domain: (0, Double(max(1, points.count - 1))), range: (4, width - 4))
            if let target, target.isFinite {
                w.line(2, y.position(target), width - 2, y.position(target), stroke: ChartPalette.target, className: "target", width: 1, dash: "3 2")
            }
            var d = ""
            var penDown = false
            for (index, point) in points.enumerated() {
                guard let value = point.value, value.isFinite else {
                    penDown = false
                    continue
                }
                d += (penDown ? "L" : "M") + n(x.position(Double(points.count == 1 ? 0 : index))) + " " + n(y.position(value))
                penDown = true
            }
            let color = ChartPalette.seriesColor(0)
            if !d.isEmpty {
                w.element("path", [("class", "series-line series-1"), ("d", d), ("style", "fill:none;stroke:" + color), ("stroke-width", "1.5"), ("stroke-linejoin", "round")])
            }
            if let lastIndex = points.lastIndex(where: { $0.value?.isFinite == true }), let value = points[lastIndex].value {
                let cx = x.position(Double(points.count == 1 ? 0 : lastIndex))
                let cy = y.position(value)
                let label = points[lastIndex].label + ": " + MetricFormat.compact(value) + (unit.isEmpty ? "" : " " + unit)
                switch points[lastIndex].status {
                case .fail:
                    let cross = "M" + n(cx - 3) + " " + n(cy - 3) + "L" + n(cx + 3) + " " + n(cy + 3) + "M" + n(cx - 3) + " " + n(cy + 3) + "L" + n(cx + 3) + " " + n(cy - 3)
                    w.open("path", [("class", "marker-fail"), ("d", cross), ("style", "fill:none;stroke:" + ChartPalette.fail), ("stroke-width", "2")])
                    w.element("title", [], text: label)
                    w.close("path")
                case .pass, .neutral:
                    let fill = points[lastIndex].status == .pass ? ChartPalette.pass : color
                    w.open("circle", [("class", "marker-last"), ("cx", n(cx)), ("cy", n(cy)), ("r", "2.5"), ("style", "fill:" + fill)])
                    w.element("title", [], text: label)
                    w.close("circle")
                }
            }
        }
    }

    public func dataTableHTML() -> String {
        DataTable.html(
            caption: title, columns: ["Point", "Value" + (unit.isEmpty ? "" : " (" + unit + ")")],
            rows: points.map { ($0.label, [$0.value.map { MetricFormat.compact($0) } ?? "–"]) })
    }
}
