/// Parses the human durations records use: `30s`, `45 minutes`, `1h 25m`, `2 hours`, `90`, `1h30m`,
/// `PT1H25M`. Used for allocated durations and the incident resolution's `Duration:` line.
public enum DurationText {
    /// Seconds, or nil when the text is not a duration. A bare number means seconds. Negative,
    /// infinite and not-a-number values (`-5m`, `1e400`) are not durations.
    public static func seconds(_ text: String) -> Double? {
        guard let seconds = parsedSeconds(text), seconds.isFinite, seconds >= 0 else { return nil }
        return seconds
    }

    private static func parsedSeconds(_ text: String) -> Double? {
        let lowered = text.lowercased().trimmingSpaces
        guard !lowered.isEmpty else { return nil }
        if let plain = Double(lowered), plain >= 0 { return plain }
        if lowered.hasPrefix("pt") { return isoSeconds(String(lowered.dropFirst(2))) }
        var total = 0.0
        var number = ""
        var unit = ""
        var parts = 0
        func flush() -> Bool {
            guard !number.isEmpty else { return unit.isEmpty }
            guard let value = Double(number), let factor = factor(for: unit) else { return false }
            total += value * factor
            parts += 1
            number = ""
            unit = ""
            return true
        }
        for character in lowered {
            if character.isNumber || character == "." {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(character)
            } else if character.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(character)
            } else if character == " " || character == "," {
                continue
            } else {
                return nil
            }
        }
        guard flush(), parts > 0 else { return nil }
        return total
    }

    private static func factor(for unit: String) -> Double? {
        switch unit {
        case "s", "sec", "secs", "second", "seconds": 1
        case "m", "min", "mins", "minute", "minutes": 60
        case "h", "hr", "hrs", "hour", "hours": 3600
        case "d", "day", "days": 86_400
        case "ms", "millisecond", "milliseconds": 0.001
        default: nil
        }
    }

    private static func isoSeconds(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        for character in text {
            if character.isNumber || character == "." {
                number.append(character)
            } else {
                guard let value = Double(number) else { return nil }
                switch character {
                case "h": total += value * 3600
                case "m": total += value * 60
                case "s": total += value
                default: return nil
                }
                number = ""
            }
        }
        return number.isEmpty ? total : nil
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks (no Foundation needed).
    public var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
