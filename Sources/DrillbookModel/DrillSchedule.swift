/// The drill plan of the playbook's Appendix A, kept in `content/schedule.yaml` so teams can change it:
/// which category is practised in which week of each month, and which theme each quarter.
public struct DrillSchedule: Sendable, Hashable, Codable {
    /// Week-of-month slots (week 1 = days 1–7, week 2 = days 8–14, week 3 = days 15–21, week 4 = days 22–end).
    public var monthly: [MonthlySlot]
    /// Quarter number (1–4) to theme.
    public var quarterly: [QuarterlySlot]
    /// The first day the plan applies (slots before it are not counted as missed).
    public var startsOn: CalendarDay?

    public init(monthly: [MonthlySlot], quarterly: [QuarterlySlot], startsOn: CalendarDay? = nil) {
        self.monthly = monthly
        self.quarterly = quarterly
        self.startsOn = startsOn
    }

    /// Appendix A as the playbook writes it.
    public static let playbook = DrillSchedule(
        monthly: [
            MonthlySlot(week: 1, category: .infrastructureResilience),
            MonthlySlot(week: 2, category: .dataProviderOutage),
            MonthlySlot(week: 3, category: .loadAndPerformance),
            MonthlySlot(week: 4, category: .incidentResponsePractice),
        ],
        quarterly: [
            QuarterlySlot(quarter: 1, category: .fullSystemFailure),
            QuarterlySlot(quarter: 2, category: .multiRegionOutage),
            QuarterlySlot(quarter: 3, category: .securityIncident),
            QuarterlySlot(quarter: 4, category: .complianceViolation),
        ]
    )

    public struct MonthlySlot: Sendable, Hashable, Codable {
        /// 1 to 4 (week 4 runs to the end of the month).
        public var week: Int
        public var category: DrillCategory

        public init(week: Int, category: DrillCategory) {
            self.week = week
            self.category = category
        }
    }

    public struct QuarterlySlot: Sendable, Hashable, Codable {
        /// 1 to 4.
        public var quarter: Int
        public var category: DrillCategory

        public init(quarter: Int, category: DrillCategory) {
            self.quarter = quarter
            self.category = category
        }
    }
}
