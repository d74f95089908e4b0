import DrillbookCharts
import DrillbookModel

/// The "Evidence" section of a run page: the series the drill watched (`RunDetails.series`), one
/// chart per kind (probe latencies; monitoring samples by unit) with the fault, detection and
/// recovery instants marked, and each chart's data table.
struct EvidenceSection: Sendable, Encodable {
    var charts: [EvidenceChartBlock]
    /// Why points are missing or were thinned, one line per series that says so.
    var notes: [String]
    var hasNotes: Bool
    /// Where the series came from, in words (`drillbook's own probes`, `imported from Chaos Toolkit`).
    var source: String?
}

/// One chart of the section, with its table open when it is short.
///
/// Drawn three times, so the drawing fills its card at 12 px labels whatever the screen: `wideWidth`
/// units for a wide card (a run page at 1280 px: about 1086 px inside the card), `mediumWidth` for a
/// tablet's card, stretched to its width, and `ChartBlock.narrowWidth` for a phone's. The card's
/// own width picks one (`.chart--evidence` container queries in `style.css`).
struct EvidenceChartBlock: Sendable, Encodable {
    var chart: ChartBlock
    /// The same chart `mediumWidth` wide (ids suffixed `-medium`).
    var mediumSVGHTML: String
    /// `145 observations` (the table's size, in its summary).
    var rowCount: String
    /// Tables of at most `openRowLimit` rows are shown open; longer ones collapsed.
    var tableOpen: Bool

    static let openRowLimit = 20
    /// The card inside the page's widest column (72rem less its padding).
    static let wideWidth = 1080.0
    static let mediumWidth = 640.0
}

extension EvidenceSection {
    /// The section for `run`, nil when the record keeps no series.
    init?(run: DrillRun) {
        let series = run.series.filter { !$0.points.isEmpty }
        guard !series.isEmpty else { return nil }
        let marks = Self.marks(run: run, series: series)
        var groups: [(key: String, title: String, valueTitle: String, unit: String, series: [EvidenceSeries])] = []
        for item in series {
            let key = item.source.rawValue + "|" + item.unit
            if let index = groups.firstIndex(where: { $0.key == key }) {
                groups[index].series.append(item)
            } else if item.source == .probe {
                groups.append((key, "Probe latency over the run", "Latency (" + item.unit + ")", item.unit, [item]))
            } else {
                let unit = item.unit.isEmpty ? "value" : item.unit
                groups.append((key, "Monitoring over the run (" + unit + ")", "Value (" + unit + ")", item.unit, [item]))
            }
        }
        charts = groups.enumerated().map { index, group in
            let chart = EvidenceChart(
                id: "evidence-" + String(index + 1), title: group.title,
                summary: Self.summary(group.series, marks: marks), valueTitle: group.valueTitle, unit: group.unit,
                series: group.series.map { item in
                    EvidenceChart.Series(label: item.name, points: item.points.map { EvidenceChart.Point(t: $0.t, value: $0.value, ok: $0.ok) })
                },
                marks: marks, width: EvidenceChartBlock.wideWidth, height: Self.height(series: group.series, marks: marks))
            var block = ChartBlock(chart)
            block.takeaway = Self.takeaway(group.series, marks: marks)
            let medium = chart.resized(width: EvidenceChartBlock.mediumWidth, height: chart.height, idSuffix: "medium").svg()
            let rows = chart.rows.count
            return EvidenceChartBlock(
                chart: block, mediumSVGHTML: medium, rowCount: SiteText.count(rows, "observation"),
                tableOpen: rows <= EvidenceChartBlock.openRowLimit)
        }
        notes = series.compactMap { item in item.note.map { item.name + ": " + $0 } }
        hasNotes = !notes.isEmpty
        source = nil
    }

    /// Room for the legend and the mark labels above a plot of at least 200 px, also in the phone
    /// drawing (one legend entry a row at 320 px).
    static func height(series: [EvidenceSeries], marks: [EvidenceChart.Mark]) -> Double {
        200 + 18 * Double(series.count + 1) + 15 * Double(marks.count)
    }

    /// The instants the charts mark: the fault (`fault.injected`), its detection
    /// (`monitoring.detected`, else the first failed probe attempt after the fault) and the
    /// recovery (`recovered`).
    static func marks(run: DrillRun, series: [EvidenceSeries]) -> [EvidenceChart.Mark] {
        let start = run.startedAt
        func time(of name: String) -> (t: Double, description: String?)? {
            run.timeline.filter { $0.event == name }.min { $0.at < $1.at }.map { (start.seconds(until: $0.at), $0.description) }
        }
        var marks: [EvidenceChart.Mark] = []
        let fault = time(of: "fault.injected")
        if let fault { marks.append(EvidenceChart.Mark(t: fault.t, label: "Fault injected", style: .fault)) }
        if let detected = time(of: "monitoring.detected") {
            let alert = detected.description.map { ": " + $0 } ?? ""
            marks.append(EvidenceChart.Mark(t: detected.t, label: "Detected by monitoring" + alert, style: .detection))
        } else if let fault,
            let first = series.filter({ $0.source == .probe }).flatMap({ $0.points })
                .filter({ (point: EvidencePoint) -> Bool in point.ok == false && point.t >= fault.t }).map(\.t).min()
        {
            marks.append(EvidenceChart.Mark(t: first, label: "First failed probe", style: .detection))
        }
        if let recovered = time(of: "recovered") { marks.append(EvidenceChart.Mark(t: recovered.t, label: "Recovered", style: .recovery)) }
        return marks
    }

    /// `writes through Sentinel and 9 more series: 145 observations, 51 failed.` plus the marks.
    static func summary(_ series: [EvidenceSeries], marks: [EvidenceChart.Mark]) -> String {
        let points = series.flatMap(\.points)
        let failed = points.filter { $0.ok == false }.count
        var text = SiteText.count(series.count, "series", "series") + " (" + series.map(\.name).joined(separator: ", ") + "): "
            + SiteText.count(points.count, "observation") + ", " + String(failed) + " failed."
        for mark in marks { text += " " + mark.label + " at " + MetricFormat.number(mark.t) + " s." }
        return text
    }

    /// The one-line takeaway: how many attempts failed and when, and the marks' distances from the fault.
    static func takeaway(_ series: [EvidenceSeries], marks: [EvidenceChart.Mark]) -> String {
        let points = series.flatMap(\.points)
        let failed = points.filter { $0.ok == false }.map(\.t)
        var text: String
        if failed.isEmpty {
            text = "All " + SiteText.count(points.count, "observation") + " passed"
        } else {
            let first = MetricFormat.number(failed.min() ?? 0), last = MetricFormat.number(failed.max() ?? 0)
            text = String(failed.count) + " of " + SiteText.count(points.count, "observation") + " failed, "
                + (first == last ? "at " + first + TrendText.nbsp + "s" : "between " + first + TrendText.nbsp + "s and " + last + TrendText.nbsp + "s")
        }
        if let fault = marks.first(where: { $0.style == .fault }) {
            var after: [String] = []
            for mark in marks where mark.style != .fault {
                // Only monitoring detects; a failed probe is what the drill's own check saw (for an imported
                // Chaos Toolkit run, the after-state probe).
                let verb = mark.style == .recovery ? "recovered" : mark.label.hasPrefix("Detected") ? "detected" : "first probe failed"
                after.append(verb + " " + MetricFormat.number(((mark.t - fault.t) * 100).rounded() / 100) + TrendText.nbsp + "s after the fault")
            }
            if !after.isEmpty { text += "; " + after.joined(separator: ", ") }
        }
        return text + "."
    }
}
