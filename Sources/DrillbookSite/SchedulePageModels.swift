// Flat view models of the schedule page (`schedule.html`). Same rules as PageModels.swift.

/// One cell of the schedule grid.
struct ScheduleCell: Sendable, Encodable {
    var category: String
    /// `filled`, `missed`, `pending`, `planned` (future), `none` (before the plan starts).
    var state: String
    var status: Badge
    var runs: [RunLink]
    var days: String
    /// `and 12 more runs` when more runs matched the slot than the cell links to.
    var moreRuns: String? = nil
}

struct ScheduleMonthRow: Sendable, Encodable {
    var month: String
    var cells: [ScheduleCell]
}

struct ScheduleQuarterRow: Sendable, Encodable {
    var quarter: String
    var theme: ScheduleCell
    var planned: String
    var filled: String
    var missed: String
    /// Slots whose every matching run was aborted.
    var aborted: String
    var pending: String
    var adherence: String
}

struct SchedulePage: Sendable, Encodable {
    var chrome: PageChrome
    var weekHeadings: [String]
    var months: [ScheduleMonthRow]
    var hasMonths: Bool
    var quarters: [ScheduleQuarterRow]
    var missedCount: String
    /// How many local realisations the adherence leaves out, when any.
    var localRunsNote: String?
    var heatmap: ChartBlock?
    var startsOn: String?
}
