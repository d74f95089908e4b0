import DrillbookModel

/// The record's `summary`: what the drill tried, whether the system was healthy, what deviated and
/// by how much, in words a non-specialist can follow.
enum RunSummaryText {
    static func summary(
        drill: DrillDefinition, outcome: RunOutcome, abortReason: String?, failures: [String],
        criteria: [CriterionResult], metrics: [Metric], steadyStateHeldBefore: Bool, steadyStateHeldAfter: Bool?,
        faultStarted: Bool, during: [ProbeSummary] = [], rollbackFailed: Bool = false
    ) -> String {
        var paragraphs: [String] = []
        paragraphs.append("**Objective:** \(drill.objective.trimmingSpaces.trimmingTrailingPeriod).")
        var health: String
        if steadyStateHeldBefore {
            health = "The system was healthy before the fault (its steady-state checks held)"
            switch steadyStateHeldAfter {
            case true?: health += " and healthy again after recovery."
            case false?: health += ", but it did not return to that state after recovery."
            case nil: health += "."
            }
        } else {
            health = "The system was not healthy before the fault, so no fault was injected."
        }
        paragraphs.append("**Steady state:** " + health)

        let met = criteria.filter { $0.verdict == .met }.count
        var verdict: String
        switch outcome {
        case .passed: verdict = "**Result:** passed: all \(criteria.count) success criteria were met."
        case .failed: verdict = "**Result:** failed: \(met) of \(criteria.count) success criteria were met."
        case .aborted:
            verdict = "**Result:** aborted: \(abortReason ?? "stopped early")."
            if faultStarted && !rollbackFailed { verdict += " The rollback ran." }
        }
        paragraphs.append(verdict)
        if rollbackFailed {
            paragraphs.append("**Rollback failed:** the system may still be in its faulted state; restore it by hand following the drill's rollback plan (the failed actions are listed below).")
        }

        var deviations: [String] = []
        for result in criteria {
            switch result.verdict {
            case .met: continue
            case .notMeasured:
                deviations.append("\(result.text): not measured.")
            case .missed:
                if let actual = result.actual, let target = result.target, let comparison = result.comparison {
                    let unit = result.unit ?? ""
                    let by = abs(actual - target)
                    let relation = comparison.smallerIsBetter ? "above" : (comparison == .equal ? "away from" : "below")
                    // A difference that is there never reads as 0 (`0.004 s above`, not `0 s above`).
                    let byText = unit == "bool" ? "" : " (\(MetricFormat.value(by, unit: unit, judgedBy: .greaterThan, against: 0)) \(relation) the target)"
                    deviations.append("\(result.text): measured \(CriteriaEvaluation.actualText(result) ?? MetricFormat.value(actual, unit: unit)) against \(comparison.symbol) \(MetricFormat.value(target, unit: unit))\(byText).")
                } else {
                    deviations.append("\(result.text): missed.")
                }
            }
        }
        for failure in failures { deviations.append(failure.prefix(1).uppercased() + failure.dropFirst() + ".") }
        if !deviations.isEmpty {
            paragraphs.append("**What deviated:**\n" + deviations.map { "- " + $0 }.joined(separator: "\n"))
        }
        let watched = during.filter { $0.attempts > 0 }.map { summary in
            "\(summary.name): \(summary.failures) of \(summary.attempts) checks failed"
                + (summary.lastResult.map { " (last: \($0))" } ?? "") + "."
        }
        if !watched.isEmpty {
            paragraphs.append("**While the fault was active:**\n" + watched.map { "- " + $0 }.joined(separator: "\n"))
        }
        let measured = criteria.compactMap { result -> String? in
            guard result.verdict == .met, let actual = CriteriaEvaluation.actualText(result) else { return nil }
            return "\(result.text): \(actual)"
        }
        if !measured.isEmpty {
            paragraphs.append("**Within target:**\n" + measured.map { "- " + $0 + "." }.joined(separator: "\n"))
        }
        return paragraphs.joined(separator: "\n\n")
    }
}

extension String {
    var trimmingTrailingPeriod: String { hasSuffix(".") ? String(dropLast()) : self }
}
