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

/// Number formatting shared by pages, reports and the terminal, so a value reads the same everywhere.
public enum MetricFormat {
    /// `8.2 s`, `99.5 %`, `1,250 ms`; integers without decimals, otherwise up to two decimals.
    public static func value(_ value: Double, unit: String) -> String {
        let number = number(value)
        switch unit {
        case "": return number
        case "bool": return value != 0 ? "yes" : "no"
        case "%": return number + " %"
        case "x": return number + "×"
        default: return number + " " + unit
        }
    }

    /// Fixed, locale-independent formatting: at most two decimals, trailing zeros dropped.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "−∞") }
        let scaled = (value * 100).rounded()
        let negative = scaled < 0
        let magnitude = Int(abs(scaled))
        let whole = magnitude / 100
        let fraction = magnitude % 100
        var text = groupThousands(whole)
        if fraction != 0 {
            text += fraction % 10 == 0 ? "." + String(fraction / 10) : "." + pad2(fraction)
        }
        return (negative && magnitude != 0 ? "−" : "") + text
    }

    /// `1h 25m`, `45s`, `2m 05s`, for durations in seconds.
    public static func duration(seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        let negative = seconds < 0
        let total = Int(abs(seconds).rounded())
        let text: String
        if total < 60 {
            let precise = abs(seconds)
            text = precise < 10 && precise != precise.rounded() ? number(precise) + "s" : String(total) + "s"
        } else if total < 3600 {
            text = String(total / 60) + "m " + pad2(total % 60) + "s"
        } else if total < 86_400 {
            text = String(total / 3600) + "h " + pad2((total % 3600) / 60) + "m"
        } else {
            text = String(total / 86_400) + "d " + String((total % 86_400) / 3600) + "h"
        }
        return negative ? "−" + text : text
    }

    private static func groupThousands(_ value: Int) -> String {
        let digits = String(value)
        guard digits.count > 4 else { return digits }
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result += "," }
            result.append(character)
        }
        return result
    }
}
