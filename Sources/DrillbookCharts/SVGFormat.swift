/// Text and number formatting for SVG and HTML output: escaping (the package's one markup escaper,
/// which also replaces characters XML 1.0 forbids by U+FFFD), and fixed-precision numbers so the
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

    /// Escapes text for XML/HTML content and attribute values (`&`, `<`, `>`, `"`, `'`) and replaces
    /// every character XML 1.0 forbids by U+FFFD (see `isXMLCharacter(_:)`). Text without either
    /// comes back unchanged.
    ///
    /// The one markup escaper of the package: the site's templates escape through
    /// `escapeUTF8(_:copy:insert:)`, the same rules a buffer at a time.
    public static func escape(_ text: String) -> String {
        var text = text
        text.makeContiguousUTF8()
        let escaped = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var result: [UInt8] = []
            var changed = false
            escapeUTF8(
                bytes,
                copy: { range in result.append(contentsOf: bytes[range]) },
                insert: { entity in
                    if !changed {
                        changed = true
                        result.reserveCapacity(bytes.count + 16)
                    }
                    result.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
                })
            return changed ? String(decoding: result, as: UTF8.self) : nil
        }
        return (escaped ?? nil) ?? text
    }

    /// The character that stands in for one XML 1.0 forbids, wherever drillbook writes markup, CSV
    /// or iCalendar text: U+FFFD REPLACEMENT CHARACTER, so a reader sees that something was there.
    public static let replacementCharacter: Unicode.Scalar = "\u{FFFD}"

    /// True for a character XML 1.0 allows (its `Char` production): tab, line feed, carriage return,
    /// U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF. Every other C0 control, U+FFFE and
    /// U+FFFF are forbidden (surrogates cannot occur in a Swift string; the content loader reads a
    /// JSON `\ud800` as U+FFFD). HTML5 treats the same controls as parse errors.
    public static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
    }

    /// `text` with every character XML 1.0 forbids replaced by `replacementCharacter`, nothing else
    /// changed: for outputs that quote rather than escape (CSV).
    public static func replacingForbiddenCharacters(_ text: String) -> String {
        guard !text.unicodeScalars.allSatisfy(isXMLCharacter) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(isXMLCharacter(scalar) ? scalar : replacementCharacter) }
        return String(result)
    }

    /// `<`, `>`, `&`, `"`, `'` and the C0 controls XML forbids, as bits of a mask over byte values below 64.
    @usableFromInline static let markupBytes: UInt64 =
        1 << 0x3C | 1 << 0x3E | 1 << 0x26 | 1 << 0x22 | 1 << 0x27 | (0xFFFF_FFFF & ~(1 << 0x9 | 1 << 0xA | 1 << 0xD))

    /// The markup escaping of valid UTF-8 `bytes` as a sequence of steps: `copy(range)` for bytes
    /// kept as they are, `insert(text)` for what replaces the byte or bytes between two copies
    /// (`&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#39;`, or U+FFFD for a C0 control other than tab, LF
    /// and CR, and for U+FFFE and U+FFFF). Byte-exact to `escape(_:)`, without building strings.
    @inlinable
    public static func escapeUTF8(
        _ bytes: UnsafeBufferPointer<UInt8>, copy: (Range<Int>) -> Void, insert: (StaticString) -> Void
    ) {
        var run = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 64 {
                guard markupBytes & (1 << UInt64(byte)) != 0 else {
                    index += 1
                    continue
                }
                if run < index { copy(run..<index) }
                switch byte {
                case 0x3C: insert("&lt;")
                case 0x3E: insert("&gt;")
                case 0x26: insert("&amp;")
                case 0x22: insert("&quot;")
                case 0x27: insert("&#39;")
                default: insert("\u{FFFD}")
                }
                index += 1
                run = index
            } else if byte == 0xEF, index + 2 < count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE {
                // U+FFFE (EF BF BE) and U+FFFF (EF BF BF).
                if run < index { copy(run..<index) }
                insert("\u{FFFD}")
                index += 3
                run = index
            } else {
                index += 1
            }
        }
        if run < count { copy(run..<count) }
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
