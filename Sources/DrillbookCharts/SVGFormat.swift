/// Text and number formatting for SVG and HTML output: escaping, and fixed-precision numbers so the
/// same data always gives byte-identical output.
public enum SVGFormat {
    /// A chart's drawing size: at least 160 × 120, and 640 × 320 when a size is not finite.
    static func chartSize(width: Double, height: Double) -> (width: Double, height: Double) {
        (max(160, width.isFinite ? width : 640), max(120, height.isFinite ? height : 320))
    }

    /// A value with its unit for labels and data tables (`8.25 s`), or `–` when missing or not finite.
    static func valueText(_ value: Double?, unit: String) -> String {
        guard let value, value.isFinite else { return "–" }
        return label(value) + (unit.isEmpty ? "" : " " + unit)
    }

    /// A coordinate or length: at most two decimals, trailing zeros trimmed, never `-0`; NaN and
    /// infinities print as `0` so the output stays valid.
    public static func number(_ value: Double) -> String {
        fixed(value, decimals: 2)
    }

    /// `value` with at most `decimals` decimals (0–9), trailing zeros trimmed, never `-0`, NaN/inf as `0`.
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

    /// Escapes text for XML/HTML content and attribute values (`&`, `<`, `>`, `"`, `'`), and drops
    /// characters XML 1.0 forbids (control characters other than tab, newline and carriage return).
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default:
                let value = scalar.value
                let allowed =
                    value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
                    || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
                if allowed { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// A value label for people: thousands abbreviated (`12k`, `1.5M`, `2G`) from 10,000 up, otherwise
    /// `decimals` decimals trimmed, with a typographic minus.
    public static func label(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "–" }
        let magnitude = abs(value)
        let sign = value < 0 && fixed(magnitude, decimals: decimals) != "0" ? "−" : ""
        if magnitude >= 1e12 { return sign + fixed(magnitude / 1e12, decimals: 2) + "T" }
        if magnitude >= 1e9 { return sign + fixed(magnitude / 1e9, decimals: 2) + "G" }
        if magnitude >= 1e6 { return sign + fixed(magnitude / 1e6, decimals: 2) + "M" }
        if magnitude >= 1e4 { return sign + fixed(magnitude / 1e3, decimals: 2) + "k" }
        return sign + fixed(magnitude, decimals: decimals)
    }

    /// A token safe for an `id` attribute: lowercase letters, digits and `-`, starting with a letter.
    public static func identifier(_ text: String) -> String {
        var result = ""
        var lastWasDash = false
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                result.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash && !result.isEmpty {
                result += "-"
                lastWasDash = true
            }
            if result.count >= 48 { break }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return "chart-" + (result.isEmpty ? "untitled" : result)
    }
}
