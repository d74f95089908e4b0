import DrillbookModel
import Testing

@testable import DrillbookSite

/// The run page's criterion table uses the model's rule for a figure beside its verdict: a missed
/// `≤ 30 s` measured at 30.004 s reads `30.004 s` (a `count` stays a bare number, as elsewhere on
/// the site).
@Suite("Run page figures beside verdicts")
struct VerdictFigurePageTests {
    @Test func theRunPageShowsAMissedFigureWithTheDecimalsItNeeds() {
        let missed = CriterionResult(
            criterionId: "c", text: "C", metric: "m", comparison: .lessThanOrEqual, target: 30, unit: "s", actual: 30.004, verdict: .missed)
        #expect(SiteText.actual(missed) == "30.004 s")
        let lost = CriterionResult(
            criterionId: "c", text: "C", metric: "m", comparison: .equal, target: 0, unit: "count", actual: 0.0004, verdict: .missed)
        #expect(SiteText.actual(lost) == "0.0004")
        // The control: a figure that reads right is the usual one; nothing measured is a dash.
        let met = CriterionResult(criterionId: "c", text: "C", metric: "m", comparison: .lessThanOrEqual, target: 30, unit: "s", actual: 8.25, verdict: .met)
        #expect(SiteText.actual(met) == SiteText.metric(8.25, unit: "s"))
        #expect(SiteText.actual(CriterionResult(criterionId: "c", text: "C", verdict: .notMeasured)) == "–")
    }
}
