// Flat view models of the quarterly reviews (`reviews/index.html`, `reviews/<YYYY-Qn>.html`). Same
// rules as PageModels.swift; the weakness and action rows and the charts are shared with the drill
// pages (TrendModels.swift).

/// One headline figure with its change against the previous period.
struct Headline: Sendable, Encodable {
    var label: String
    var value: String
    /// What the value counts, e.g. `9 of 12 planned slots`.
    var detail: String
    /// `+14 points on Q2 2026`, `no change`, `no data for Q2 2026`.
    var change: String
    /// `better`, `worse`, `same`, `none`: the CSS modifier of the change.
    var changeTone: String
    /// `▲`, `▼`, `=` or `–`, so the direction reads without colour.
    var changeIcon: String
}

/// The theme drill of a quarter.
struct ThemeDrillBlock: Sendable, Encodable {
    var category: String
    var status: Badge
    var sentence: String
    var runs: [RunLink]
    var hasRuns: Bool
}

/// A row of the incident response table of a review.
struct ResponseRow: Sendable, Encodable {
    var measure: String
    /// `started → resolved`: what the time runs between (`ResponseMeasure.definition`).
    var definition: String
    var target: String
    var median: String
    var withinTarget: String
    var recorded: String
}

struct ReviewPage: Sendable, Encodable {
    var chrome: PageChrome
    var quarterTitle: String
    var previousTitle: String
    var period: String
    var isPartial: Bool
    /// How many local realisations the quarter's figures leave out, when any.
    var localRunsNote: String?
    var headlines: [Headline]
    /// Plain sentences for a reader who was in none of the drills.
    var summary: [String]
    var charts: [ChartBlock]
    var theme: ThemeDrillBlock?
    var weaknesses: [WeaknessRow]
    var hasWeaknesses: Bool
    var overdue: [ActionLink]
    var hasOverdue: Bool
    var overdueHeading: String
    var responses: [ResponseRow]
    var hasIncidents: Bool
    var incidentSummary: String
    var previousHref: String?
    var nextHref: String?
    var nextTitle: String?
    var previousLinkTitle: String?
}

struct ReviewCard: Sendable, Encodable {
    var href: String
    var title: String
    var partial: Bool
    var drillsRun: String
    var passRate: String
    var recovery: String
    var incidents: String
    var overdue: String
}

struct ReviewsPage: Sendable, Encodable {
    var chrome: PageChrome
    var reviews: [ReviewCard]
    var hasReviews: Bool
}
