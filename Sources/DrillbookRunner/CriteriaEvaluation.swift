public import DrillbookModel

/// Judges a drill's success criteria against the metrics a run measured.
public enum CriteriaEvaluation {
    /// One result per criterion, in the drill's order. A criterion without a measurable target, or
    /// whose metric was not measured, is `notMeasured` (and so the run does not pass).
    public static func evaluate(_ criteria: [SuccessCriterion], metrics: [Metric]) -> [CriterionResult] {
        criteria.map { criterion in
            var result = CriterionResult(
                criterionId: criterion.id, text: criterion.text, metric: criterion.metric, comparison: criterion.comparison,
                target: criterion.target, unit: criterion.unit, verdict: .notMeasured)
            guard let target = criterion.metricTarget else {
                result.note = "No measurable target: to be judged by the team."
                return result
            }
            guard let metric = metrics.first(where: { $0.name == target.metric }), metric.value.isFinite else {
                result.note = "The run did not measure `\(target.metric)`."
                return result
            }
            result.actual = metric.value
            result.verdict = target.isMet(by: metric.value) ? .met : .missed
            result.note = metric.note
            return result
        }
    }

    /// The measured value as shown beside its verdict, with as many decimals as it takes (up to
    /// six) for the figure not to contradict the verdict: a missed `≤ 30 s` measured at 30.004 s
    /// reads `30.004 s`, never `30 s`. Nil when nothing was measured.
    public static func actualText(_ result: CriterionResult) -> String? {
        guard let actual = result.actual else { return nil }
        let unit = result.unit ?? ""
        let shown = MetricFormat.value(actual, unit: unit)
        guard unit != "bool", let target = result.target, let comparison = result.comparison, actual.isFinite else { return shown }
        let verdict = comparison.holds(actual: actual, target: target)
        for decimals in 2...6 {
            let digits = MetricFormat.fixed(actual, decimals: decimals)
            // The figure as a reader reads it back must be judged as the measured value was.
            guard let read = Double(digits), comparison.holds(actual: read, target: target) == verdict else { continue }
            return decimals == 2 ? shown : withUnit(digits, unit)
        }
        return withUnit(MetricFormat.fixed(actual, decimals: 6), unit)
    }

    /// `digits` (ASCII, from `MetricFormat.fixed`) with a typographic minus and the unit, as
    /// `MetricFormat.value` writes them.
    private static func withUnit(_ digits: String, _ unit: String) -> String {
        let number = digits.hasPrefix("-") ? "−" + digits.dropFirst() : digits
        switch unit {
        case "": return number
        case "%": return number + " %"
        case "x": return number + "×"
        default: return number + " " + unit
        }
    }

    /// True when every criterion was met.
    public static func allMet(_ results: [CriterionResult]) -> Bool { results.allSatisfy { $0.verdict == .met } }
}
