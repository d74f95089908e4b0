import DrillbookAnalysis
import DrillbookCharts
import DrillbookMarkdown
import DrillbookModel

/// Wording of analysis figures, shared by the drill, review and dashboard pages.
enum TrendText {
    /// `67 %`, or `–` without data.
    static func percent(_ share: Share) -> String { SiteText.percent(share.count, of: share.total) }

    /// A percentage value with no decimals (`71 %`).
    static func wholePercent(_ value: Double) -> String { MetricFormat.value(value.rounded(), unit: "%") }

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
}
