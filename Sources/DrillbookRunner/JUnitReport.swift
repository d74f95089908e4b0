import DrillbookText
public import DrillbookModel

/// A JUnit XML report of a run, for CI pipelines: one test case for the run's outcome, then one
/// per criterion. The outcome case fails whenever the outcome is not `passed` (a failed or aborted
/// run, a failed rollback), with the outcome as its type and the reasons as its message and text,
/// so a pipeline never shows a failed drill green even when every criterion was met.
public enum JUnitReport {
    public static func xml(for run: DrillRun) -> String {
        let reasons = Self.reasons(for: run)
        let failedCriteria = run.criteria.filter { $0.verdict != .met }.count
        let failures = failedCriteria + (run.outcome == .passed ? 0 : 1)
        let tests = run.criteria.count + 1
        let suite = escape(run.drillId)
        var lines = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        lines.append("<testsuites name=\"drillbook\" tests=\"\(tests)\" failures=\"\(failures)\">")
        lines.append("  <testsuite name=\"\(suite)\" tests=\"\(tests)\" failures=\"\(failures)\" time=\"\(MetricFormat.fixed(run.durationSeconds, decimals: 2))\" timestamp=\"\(run.startedAt.iso8601UTC)\">")
        lines.append("    <properties>")
        lines.append("      <property name=\"outcome\" value=\"\(run.outcome.rawValue)\"/>")
        if let reason = run.abortReason { lines.append("      <property name=\"abortReason\" value=\"\(escape(reason))\"/>") }
        lines.append("    </properties>")
        lines.append("    <testcase classname=\"\(suite)\" name=\"outcome\">")
        if run.outcome != .passed {
            let message = run.outcome.rawValue + (reasons.first.map { ": " + $0 } ?? "")
            lines.append("      <failure message=\"\(escape(message))\" type=\"\(run.outcome.rawValue)\">\(escape(reasons.joined(separator: "\n")))</failure>")
        }
        lines.append("    </testcase>")
        for result in run.criteria {
            let name = escape(result.criterionId)
            lines.append("    <testcase classname=\"\(suite)\" name=\"\(name)\">")
            let detail = Self.detail(of: result)
            switch result.verdict {
            case .met: break
            case .missed: lines.append("      <failure message=\"\(escape(detail))\" type=\"missed\"/>")
            case .notMeasured: lines.append("      <failure message=\"\(escape(detail))\" type=\"not-measured\"/>")
            }
            lines.append("    </testcase>")
        }
        lines.append("  </testsuite>")
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Why the run did not pass, most important first: the abort reason, the failures the engine
    /// recorded (a failed action or rollback), then each criterion that was not met. Empty for a
    /// passed run.
    static func reasons(for run: DrillRun) -> [String] {
        guard run.outcome != .passed else { return [] }
        var reasons: [String] = []
        if let reason = run.abortReason { reasons.append(reason) }
        reasons += run.observations.filter { $0.hasPrefix("Failure: ") }.map { String($0.dropFirst("Failure: ".count)) }
        reasons += run.criteria.filter { $0.verdict != .met }.map(detail(of:))
        return reasons
    }

    /// `Text: actual 3 count, target = 0 count`.
    static func detail(of result: CriterionResult) -> String {
        "\(result.text): actual \(CriteriaEvaluation.actualText(result) ?? "not measured"), target \(result.targetText ?? "none")"
    }

    /// Text for an attribute value or element content: markup characters as entities, line breaks
    /// and tabs as character references, and the characters XML 1.0 forbids (C0 controls other
    /// than tab, LF, CR; U+FFFE, U+FFFF) as U+FFFD, so the report stays well-formed for any output.
    static func escape(_ text: String) -> String { MarkupText.escape(text, rules: .xmlAttribute) }
}
