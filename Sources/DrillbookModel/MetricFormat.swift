/// The package's one number formatter, so a value reads the same on pages, in charts, reports and
/// on the terminal: figures for people (`value`, `number`, `duration`: thousands grouped, a
/// typographic minus), chart labels (`compact`: `12.5k`, `1.5M`) and machine decimals (`fixed`:
/// SVG coordinates, JUnit times: ASCII digits, `.`, `-`). Locale-independent and deterministic.
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

    /// A measured value shown beside its verdict (end summary, record summary, JUnit, run pages,
    /// `drillbook inspect`): `value(_:unit:)`, but with as many decimals as it takes (up to six)
    /// for the figure not to contradict the verdict: a missed `≤ 30 s` measured at 30.004 s reads
    /// `30.004 s`, never `30 s`. The figure as a reader reads it back is judged against the target
    /// as the measured value was. Without a comparison and a finite target, `value(_:unit:)`.
    public static func value(_ value: Double, unit: String, judgedBy comparison: Comparison?, against target: Double?) -> String {
        let shown = self.value(value, unit: unit)
        guard unit != "bool", let comparison, let target, value.isFinite, target.isFinite else { return shown }
        let verdict = comparison.holds(actual: value, target: target)
        for decimals in 2...6 {
            guard let read = Double(fixed(value, decimals: decimals)), comparison.holds(actual: read, target: target) == verdict else { continue }
            return decimals == 2 ? shown : withUnit(number(value, decimals: decimals), unit)
        }
        return withUnit(number(value, decimals: 6), unit)
    }

    /// `digits` followed by the unit, as `value(_:unit:)` writes it (not for `bool`).
    private static func withUnit(_ number: String, _ unit: String) -> String {
        switch unit {
        case "": return number
        case "%": return number + " %"
        case "x": return number + "×"
        default: return number + " " + unit
        }
    }

    /// `number(_:)` with up to `decimals` decimals (trailing zeros dropped), thousands grouped.
    private static func number(_ value: Double, decimals: Int) -> String {
        let digits = fixed(abs(value), decimals: decimals)
        let parts = digits.split(separator: ".", maxSplits: 1)
        let whole = parts.first.flatMap { Int($0) }.map(groupThousands) ?? String(parts.first ?? "0")
        let text = parts.count == 2 ? whole + "." + parts[1] : whole
        return (value < 0 && digits != "0" ? "−" : "") + text
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

    /// `value` with at most `decimals` decimals (0–9), trailing zeros trimmed, never `-0`, NaN and
    /// infinities as `0`, no grouping: for machines (SVG coordinates, JUnit times).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "0" }
        let places = min(max(decimals, 0), 9)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e15 else {
            // Beyond exact integer range: print the integer part only.
            let whole = abs(value).rounded()
            return (value < 0 ? "-" : "") + wholeText(whole)
        }
        let units = UInt64(scaled)
        let divisor = UInt64(scale)
        let whole = units / divisor
        var fraction = units % divisor
        var text = String(whole)
        if places > 0 && fraction != 0 {
            var digits = places
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            let fractionText = String(fraction)
            text += "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
        }
        return (value < 0 && units != 0 ? "-" : "") + text
    }

    /// A chart label: thousands abbreviated (`12k`, `1.5M`, `2G`, `3T`) from 10,000 up, otherwise
    /// `decimals` decimals trimmed, with a typographic minus; `–` when not finite.
    public static func compact(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        let sign = value < 0 && fixed(magnitude, decimals: decimals) != "0" ? "−" : ""
        if magnitude >= 1e12 { return sign + fixed(magnitude / 1e12, decimals: 2) + "T" }
        if magnitude >= 1e9 { return sign + fixed(magnitude / 1e9, decimals: 2) + "G" }
        if magnitude >= 1e6 { return sign + fixed(magnitude / 1e6, decimals: 2) + "M" }
        if magnitude >= 1e4 { return sign + fixed(magnitude / 1e3, decimals: 2) + "k" }
        return sign + fixed(magnitude, decimals: decimals)
    }

    private static func wholeText(_ value: Double) -> String {
        // Values this large only appear from hostile input; keep them finite and plain.
        guard value < 1e300 else { return "1e300" }
        var digits: [Character] = []
        var rest = value
        var count = 0
        while rest >= 1 && count < 310 {
            let digit = Int(rest.truncatingRemainder(dividingBy: 10))
            digits.append(Character(String(digit)))
            rest = (rest / 10).rounded(.down)
            count += 1
        }
        return digits.isEmpty ? "0" : String(digits.reversed())
    }
}
