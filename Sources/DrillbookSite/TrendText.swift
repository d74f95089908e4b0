import DrillbookAnalysis
import DrillbookCharts
import DrillbookMarkdown
import DrillbookModel

/// Wording of analysis figures, shared by the drill, review and dashboard pages.
enum TrendText {
    /// `67 %`, or `–` without data.
    static func percent(_ share: Share) -> String { SiteText.percent(share.count, of: share.total) }

    /// A percentage value with no decimals (`71 %`, with a no-break space so the sign never starts a line).
    static func wholePercent(_ value: Double) -> String { MetricFormat.number(value.rounded()) + nbsp + "%" }

    /// `+4.2`, `−4.2`, `0`: one decimal, typographic minus.
    static func signed(_ value: Double, decimals: Int = 1) -> String {
        let scale = decimals == 0 ? 1.0 : 10.0
        let rounded = (value * scale).rounded() / scale
        if rounded == 0 { return "0" }
        let magnitude = MetricFormat.number(abs(rounded))
        return (rounded < 0 ? "−" : "+") + magnitude
    }

    /// A duration in seconds as a change per quarter: seconds under 10 minutes, else minutes.
    static func signedDuration(_ seconds: Double) -> String {
        abs(seconds) < 600 ? signed(seconds) + " s" : signed(seconds / 60) + " min"
    }

    /// `Improving: −4.2 s per quarter over 5 runs (−18 % per quarter).`
    static func trendSentence(_ trend: TrendLine, what: String) -> String {
        guard trend.direction != .insufficientData, let slope = trend.slopePerQuarter else {
            return "Not enough data for a trend yet: " + SiteText.count(trend.sampleCount, "measured run")
                + " (" + String(TrendLine.minimumSampleCount) + " needed)."
        }
        var sentence = trend.direction.title + ": " + signedDuration(slope) + " per quarter over "
            + SiteText.count(trend.sampleCount, "run")
        if let relative = trend.relativeChangePerQuarter {
            sentence += " (" + signed(relative * 100, decimals: 0) + " % per quarter)"
        }
        return sentence + " in " + what + "."
    }

    static func trendBadge(_ direction: TrendDirection) -> Badge {
        switch direction {
        case .improving: Badge(label: "Improving", icon: "▼", tone: "passed")
        case .flat: Badge(label: "Flat", icon: "=", tone: "neutral")
        case .worsening: Badge(label: "Worsening", icon: "▲", tone: "failed")
        case .insufficientData: Badge(label: "Not enough data", icon: "○", tone: "not-measured")
        }
    }

    /// `Pass rate rose from 71 % to 85 %.` and friends; nil when either side has no data.
    static func shareSentence(_ name: String, _ current: Share, _ previous: Share) -> String? {
        guard let now = current.percent, let before = previous.percent else { return nil }
        let a = wholePercent(before)
        let b = wholePercent(now)
        if a == b { return name + " stayed at " + b + "." }
        return name + (now > before ? " rose" : " fell") + " from " + a + " to " + b + "."
    }

    /// A headline for a share, with the change in percentage points.
    static func shareHeadline(
        _ label: String, _ current: Share, _ previous: Share, previousTitle: String, detail: String
    ) -> Headline {
        var headline = Headline(
            label: label, value: percent(current), detail: detail, change: "no data for " + previousTitle,
            changeTone: "none", changeIcon: "–")
        if let now = current.percent, let before = previous.percent {
            let points = (now - before).rounded()
            if points == 0 {
                headline.change = "no change on " + previousTitle
                headline.changeTone = "same"
                headline.changeIcon = "="
            } else {
                headline.change = signed(points, decimals: 0) + (abs(points) == 1 ? " point on " : " points on ") + previousTitle
                headline.changeTone = points > 0 ? "better" : "worse"
                headline.changeIcon = points > 0 ? "▲" : "▼"
            }
        } else if current.percent == nil {
            headline.change = "nothing measured"
        }
        return headline
    }

    /// A headline for a count; `higherIsBetter` decides the tone of the change.
    static func countHeadline(
        _ label: String, _ current: Int, _ previous: Int, previousTitle: String, detail: String, higherIsBetter: Bool
    ) -> Headline {
        let change = current - previous
        let tone = change == 0 ? "same" : ((change > 0) == higherIsBetter ? "better" : "worse")
        return Headline(
            label: label, value: String(current), detail: detail,
            change: change == 0 ? "same as " + previousTitle : signed(Double(change), decimals: 0) + " on " + previousTitle,
            changeTone: tone, changeIcon: change == 0 ? "=" : (change > 0 ? "▲" : "▼"))
    }

    // MARK: - Chart takeaways

    /// The one-line takeaway shown under a chart's title, computed from the chart's own data: the
    /// latest period's value and its change on the period before, e.g.
    /// `Nov 2026: runs passed 92 %, up 4 points on Oct 2026.`; nil when there is nothing to say.
    static func takeaway(for chart: any SVGChart) -> String? {
        switch chart {
        case let bars as BarChart: bars.stacked ? stackedTakeaway(bars) : barTakeaway(bars)
        case let burnDown as BurnDownChart: burnDownTakeaway(burnDown)
        case let series as TimeSeriesChart: timeSeriesTakeaway(series)
        default: nil
        }
    }

    /// `2026-11` → `Nov 2026`, `2026-Q4` → `Q4 2026`; other labels unchanged.
    static func periodTitle(_ label: String) -> String {
        let parts = label.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]) else { return label }
        if parts[1].hasPrefix("Q"), parts[1].count == 2 { return parts[1] + nbsp + String(year) }
        guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return label }
        return monthNames[month - 1] + nbsp + String(year)
    }

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// A no-break space: a number and its unit, a month and its year, never split across lines.
    static let nbsp = "\u{00A0}"

    /// `92 %`, `7 items`, `1 item`, `2m 05s`, with no-break spaces.
    static func amount(_ value: Double, unit: String) -> String {
        if unit == "s" {
            let duration = MetricFormat.duration(seconds: value)
            return value < 60 ? MetricFormat.number(value) + nbsp + "s" : duration.split(separator: " ").joined(separator: nbsp)
        }
        let number = unit == "%" ? MetricFormat.number(value.rounded()) : MetricFormat.number(value)
        guard !unit.isEmpty else { return number }
        let singular = value == 1 && unit.hasSuffix("s") && unit.count > 2 ? String(unit.dropLast()) : unit
        return number + nbsp + singular
    }

    /// `up 4 points on Oct 2026`, `down 2 on Oct 2026`, `no change on Oct 2026`.
    static func change(from before: Double, to now: Double, unit: String, on period: String) -> String {
        let difference = unit == "%" ? now.rounded() - before.rounded() : now - before
        if difference == 0 { return "no change on " + period }
        let magnitude = MetricFormat.number(abs(difference))
        let size = unit == "%" ? magnitude + nbsp + (abs(difference) == 1 ? "point" : "points") : magnitude
        return (difference > 0 ? "up " : "down ") + size + " on " + period
    }

    /// The latest index with a value, and the latest one before it.
    private static func latestPair(_ values: [Double?]) -> (latest: Int, previous: Int?)? {
        let present = values.indices.filter { values[$0].map(\.isFinite) ?? false }
        guard let latest = present.last else { return nil }
        return (latest, present.dropLast().last)
    }

    /// `Open items` from the axis title `Open items (count)`.
    private static func measure(_ valueTitle: String) -> String {
        valueTitle.split(separator: " (", maxSplits: 1).first.map(String.init) ?? valueTitle
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first, text.dropFirst().first.map({ !$0.isUppercase }) ?? true else { return text }
        return first.lowercased() + text.dropFirst()
    }

    private static func barTakeaway(_ chart: BarChart) -> String? {
        guard let first = chart.series.first, let (latest, previous) = latestPair(first.values),
            latest < chart.categories.count, let now = first.values[latest]
        else { return nil }
        var sentence = periodTitle(chart.categories[latest]) + ": " + lowercasedFirst(first.label) + " "
            + amount(now, unit: chart.unit)
        if let previous, let before = first.values[previous] {
            sentence += ", " + change(from: before, to: now, unit: chart.unit, on: periodTitle(chart.categories[previous]))
        }
        for other in chart.series.dropFirst() {
            guard latest < other.values.count, let value = other.values[latest], value.isFinite else { continue }
            sentence += "; " + lowercasedFirst(other.label) + " " + amount(value, unit: chart.unit)
        }
        return sentence + "."
    }

    private static func stackedTakeaway(_ chart: BarChart) -> String? {
        let totals: [Double?] = chart.categories.indices.map { index in
            let values = chart.series.compactMap { $0.values.indices.contains(index) ? $0.values[index] : nil }.filter(\.isFinite)
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        guard let (latest, previous) = latestPair(totals), let total = totals[latest] else { return nil }
        let parts = chart.series.compactMap { series -> String? in
            guard series.values.indices.contains(latest), let value = series.values[latest], value.isFinite, value != 0 else { return nil }
            return series.label + ": " + MetricFormat.number(value)
        }
        var sentence = periodTitle(chart.categories[latest]) + ": " + lowercasedFirst(measure(chart.valueTitle)) + " "
            + MetricFormat.number(total)
        if !parts.isEmpty && chart.series.count > 1 { sentence += " (" + parts.joined(separator: "; ") + ")" }
        if let previous, let before = totals[previous] {
            sentence += ", " + change(from: before, to: total, unit: chart.unit, on: periodTitle(chart.categories[previous]))
        }
        return sentence + "."
    }

    private static func burnDownTakeaway(_ chart: BurnDownChart) -> String? {
        let values = chart.points.map(\.value)
        guard let (latest, previous) = latestPair(values), let now = values[latest] else { return nil }
        var sentence = periodTitle(chart.points[latest].label) + ": " + lowercasedFirst(measure(chart.valueTitle)) + " "
            + MetricFormat.number(now)
        if let previous, let before = values[previous] {
            sentence += ", " + change(from: before, to: now, unit: chart.unit, on: periodTitle(chart.points[previous].label))
        }
        if let peak = values.indices.filter({ values[$0] != nil }).max(by: { values[$0]! < values[$1]! }),
            let high = values[peak], high > now
        {
            sentence += "; highest " + amount(high, unit: chart.unit) + " in " + periodTitle(chart.points[peak].label)
        }
        return sentence + "."
    }

    private static func timeSeriesTakeaway(_ chart: TimeSeriesChart) -> String? {
        let scattered = chart.series.filter { $0.style == .scatter }.flatMap(\.points).filter { $0.y?.isFinite ?? false }
        if !scattered.isEmpty {
            guard let latest = scattered.max(by: { $0.x < $1.x }), let value = latest.y else { return nil }
            let day = latest.label.split(separator: " (", maxSplits: 1).first.map(String.init) ?? latest.label
            var sentence = "Latest run " + day + ": " + amount(value, unit: chart.unit)
            let judged = scattered.filter { $0.status != .neutral }
            if latest.status != .neutral {
                sentence += chart.target == nil
                    ? (latest.status == .pass ? ", passed" : ", failed")
                    : (latest.status == .pass ? ", within target" : ", over target")
            }
            if !judged.isEmpty {
                let passed = judged.filter { $0.status == .pass }.count
                sentence += "; " + String(passed) + " of " + SiteText.count(judged.count, "run")
                    + (chart.target == nil ? " passed" : " within target")
            }
            return sentence + "."
        }
        guard let first = chart.series.first else { return nil }
        let points = first.points.filter(\.x.isFinite).sorted { $0.x < $1.x }
        guard let (latest, previous) = latestPair(points.map(\.y)), let now = points[latest].y else { return nil }
        var sentence = periodTitle(points[latest].label) + ": " + lowercasedFirst(first.label) + " " + amount(now, unit: chart.unit)
        if let previous, let before = points[previous].y {
            sentence += ", " + change(from: before, to: now, unit: chart.unit, on: periodTitle(points[previous].label))
        }
        return sentence + "."
    }
}
