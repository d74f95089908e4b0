import DrillbookModel

/// What every chart shares: its size, its `id`, and numbers in fixed precision (through the
/// package's one formatter, `MetricFormat`) so the same data always gives byte-identical output.
/// Text is escaped by `MarkupText`, the package's one markup escaper.
public enum SVGFormat {
    /// A chart's drawing size: at least 160 × 120, and 640 × 320 when a size is not finite.
    static func chartSize(width: Double, height: Double) -> (width: Double, height: Double) {
        (max(160, width.isFinite ? width : 640), max(120, height.isFinite ? height : 320))
    }

    /// A value with its unit for labels and data tables (`8.25 s`), or `–` when missing or not finite.
    static func valueText(_ value: Double?, unit: String) -> String {
        guard let value, value.isFinite else { return "–" }
        return MetricFormat.compact(value) + (unit.isEmpty ? "" : " " + unit)
    }

    /// A coordinate or length: at most two decimals, trailing zeros trimmed, never `-0`; NaN and
    /// infinities print as `0` so the output stays valid (`MetricFormat.fixed`).
    public static func number(_ value: Double) -> String {
        MetricFormat.fixed(value, decimals: 2)
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
