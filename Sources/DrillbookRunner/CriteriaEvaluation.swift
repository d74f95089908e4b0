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

    /// The measured value as shown beside its verdict: `CriterionResult.actualText`, the one rule
    /// (`MetricFormat.value(_:unit:judgedBy:against:)`) for the terminal, records, JUnit and pages.
    public static func actualText(_ result: CriterionResult) -> String? { result.actualText }

    /// True when every criterion was met.
    public static func allMet(_ results: [CriterionResult]) -> Bool { results.allSatisfy { $0.verdict == .met } }
}
