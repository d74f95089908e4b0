/// How an actual value is compared with a target.
public enum Comparison: String, Sendable, Hashable, Codable, CaseIterable {
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
    case equal = "=="
    case notEqual = "!="

    /// True when `actual` satisfies the comparison against `target`.
    public func holds(actual: Double, target: Double) -> Bool {
        switch self {
        case .lessThan: actual < target
        case .lessThanOrEqual: actual <= target
        case .greaterThan: actual > target
        case .greaterThanOrEqual: actual >= target
        case .equal: actual == target
        case .notEqual: actual != target
        }
    }

    /// The symbol for display (`≤`, `≥`, …).
    public var symbol: String {
        switch self {
        case .lessThan: "<"
        case .lessThanOrEqual: "≤"
        case .greaterThan: ">"
        case .greaterThanOrEqual: "≥"
        case .equal: "="
        case .notEqual: "≠"
        }
    }

    /// True when smaller actual values are better (used by trend direction).
    public var smallerIsBetter: Bool { self == .lessThan || self == .lessThanOrEqual }

    public static var expectedValues: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A measurable goal: `metric comparison target unit`, e.g. `failover_seconds <= 30 s`.
public struct MetricTarget: Sendable, Hashable, Codable {
    /// Name of the metric a run measures (snake_case, e.g. `failover_seconds`).
    public var metric: String
    public var comparison: Comparison
    public var target: Double
    /// Unit of `target` and of the metric (`s`, `ms`, `%`, `x`, `count`, `bool`, …).
    public var unit: String

    public init(metric: String, comparison: Comparison, target: Double, unit: String) {
        self.metric = metric
        self.comparison = comparison
        self.target = target
        self.unit = unit
    }

    /// `≤ 30 s`.
    public var targetText: String { comparison.symbol + " " + MetricFormat.value(target, unit: unit) }

    public func isMet(by actual: Double) -> Bool { comparison.holds(actual: actual, target: target) }
}

/// One success criterion of a drill: the playbook's sentence, and a measurable target where one exists.
public struct SuccessCriterion: Sendable, Hashable, Codable, Identifiable {
    /// Stable id within the drill (kebab-case), used by runs to refer to it.
    public var id: String
    /// The playbook's sentence, e.g. "Failover completed within 30s".
    public var text: String
    /// The measurable form, when the criterion has one. Criteria without it are judged by the team.
    public var metric: String?
    public var comparison: Comparison?
    public var target: Double?
    public var unit: String?

    public init(
        id: String, text: String, metric: String? = nil, comparison: Comparison? = nil, target: Double? = nil,
        unit: String? = nil
    ) {
        self.id = id
        self.text = text
        self.metric = metric
        self.comparison = comparison
        self.target = target
        self.unit = unit
    }

    /// The measurable target when metric, comparison and target are all present.
    public var metricTarget: MetricTarget? {
        guard let metric, let comparison, let target else { return nil }
        return MetricTarget(metric: metric, comparison: comparison, target: target, unit: unit ?? "")
    }
}
