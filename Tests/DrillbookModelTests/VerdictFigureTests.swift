import DrillbookModel
import Testing

/// One rule for a figure shown beside its verdict (`MetricFormat.value(_:unit:judgedBy:against:)`,
/// through `CriterionResult.actualText`): it never reads as meeting a target it missed, or the
/// other way round. The runner's summary, JUnit and the site's run page use the same function.
@Suite("Figures beside verdicts")
struct VerdictFigureTests {
    static func result(_ actual: Double, _ comparison: Comparison, _ target: Double, unit: String = "s") -> CriterionResult {
        let verdict: Verdict = comparison.holds(actual: actual, target: target) ? .met : .missed
        return CriterionResult(criterionId: "c", text: "C", metric: "m", comparison: comparison, target: target, unit: unit, actual: actual, verdict: verdict)
    }

    /// 30.004 s against ≤ 30 s is missed, so it reads `30.004 s`, never `30 s` or `30.00 s`.
    @Test func aMissedFigureNeverReadsAsItsTarget() {
        let missed = Self.result(30.004, .lessThanOrEqual, 30)
        #expect(missed.verdict == .missed)
        #expect(missed.actualText == "30.004 s")
        #expect(Self.result(30.04, .lessThanOrEqual, 30).actualText == "30.04 s")
        #expect(Self.result(29.9999, .lessThan, 30).actualText == "29.9999 s")
        #expect(Self.result(0.0004, .equal, 0, unit: "count").actualText == "0.0004 count")
        #expect(Self.result(99.996, .greaterThanOrEqual, 100, unit: "%").actualText == "99.996 %")
        #expect(Self.result(-0.004, .greaterThanOrEqual, 0, unit: "").actualText == "−0.004")
        // More decimals keep the thousands grouped, as `value` writes them.
        #expect(Self.result(12_000.004, .lessThanOrEqual, 12_000, unit: "ms").actualText == "12,000.004 ms")
        // Beyond six decimals the figure stops there.
        #expect(Self.result(30.000_000_1, .lessThanOrEqual, 30).actualText == "30 s")
    }

    /// The control: a figure that already reads right keeps the usual two decimals, and one
    /// without a target or of a `bool` metric is the plain value.
    @Test func aFigureThatReadsRightKeepsTwoDecimals() {
        #expect(Self.result(8.2, .lessThanOrEqual, 10).actualText == "8.2 s")
        #expect(Self.result(12.345, .lessThanOrEqual, 10).actualText == "12.35 s")
        #expect(Self.result(30, .lessThanOrEqual, 30).actualText == "30 s")
        #expect(Self.result(1, .equal, 1, unit: "bool").actualText == "yes")
        let untargeted = CriterionResult(criterionId: "c", text: "C", unit: "s", actual: 30.004, verdict: .notMeasured)
        #expect(untargeted.actualText == "30 s")
        #expect(MetricFormat.value(30.004, unit: "s", judgedBy: nil, against: 30) == MetricFormat.value(30.004, unit: "s"))
    }
}
