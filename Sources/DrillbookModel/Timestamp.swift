public import Foundation

/// An instant as a record wrote it: the moment in time plus the UTC offset it was written with,
/// so pages can show the local time the team saw while analysis compares absolute instants.
///
/// Encodes as ISO 8601 with an explicit offset (`2026-03-02T10:15:00+05:30`, or `Z` for UTC).
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSince1970: Double
    /// Offset from UTC, in seconds, that the instant was written with.
    public var utcOffsetSeconds: Int

    public init(secondsSince1970: Double, utcOffsetSeconds: Int = 0) {
        self.secondsSince1970 = secondsSince1970
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    public init(date: Date, utcOffsetSeconds: Int = 0) {
        self.init(secondsSince1970: date.timeIntervalSince1970, utcOffsetSeconds: utcOffsetSeconds)
    }

    /// The absolute instant.
    public var date: Date { Date(timeIntervalSince1970: secondsSince1970) }

    /// Parses strict ISO 8601 / RFC 3339 with a mandatory offset:
    /// `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM|±HHMM)`. Returns nil for anything else, leap
    /// seconds (`23:59:60`) included: a `Timestamp` counts 86,400 seconds a day, as POSIX time
    /// does, so a leap second has no exact value and is refused rather than moved to the next
    /// day (`leapSecond(in:)` tells the two failures apart for messages).
    public init?(iso8601 text: String) {
        var parser = TimestampParser(Array(text.utf8))
        guard let parsed = parser.parse(allowSpaceSeparator: false, allowUTCWord: false) else { return nil }
        self = parsed
    }

    /// `23:59:60` when `text` would be a valid instant (ISO 8601, or an incident log's form when
    /// `incidentTime` is true) but for its leap second, which `Timestamp` refuses; nil otherwise.
    public static func leapSecond(in text: String, incidentTime: Bool = false) -> String? {
        var parser = TimestampParser(Array((incidentTime ? text.trimmingSpaces : text).utf8))
        parser.acceptsLeapSecond = true
        guard parser.parse(allowSpaceSeparator: incidentTime, allowUTCWord: incidentTime) != nil,
            let leap = parser.leapSecond
        else { return nil }
        return pad2(leap.hour) + ":" + pad2(leap.minute) + ":60"
    }

    /// The message for a leap second (`leapSecond(in:)`), naming the time as written.
    public static func leapSecondMessage(_ time: String, in text: String) -> String {
        "leap seconds are not supported: " + time + " in \"" + text + "\"; drillbook counts 86,400 seconds a day, "
            + "so write the second before (:59) or the next day's 00:00:00"
    }

    /// Parses the forms incident logs use: strict ISO 8601, or `YYYY-MM-DD HH:MM[:SS]` followed by
    /// `UTC`, `Z` or a numeric offset (with or without a space before it). Never guesses a zone;
    /// refuses leap seconds, as `init?(iso8601:)` does.
    public init?(incidentTime text: String) {
        var parser = TimestampParser(Array(text.trimmingSpaces.utf8))
        guard let parsed = parser.parse(allowSpaceSeparator: true, allowUTCWord: true) else { return nil }
        self = parsed
    }

    /// ISO 8601 in the offset it was written with, to the second (fractions kept when present).
    public var iso8601: String { format(offset: utcOffsetSeconds) }

    /// ISO 8601 in UTC with a `Z` suffix.
    public var iso8601UTC: String { format(offset: 0) }

    public var description: String { iso8601 }

    /// The calendar day in the record's own offset.
    public var localDay: CalendarDay { CalendarDay(daysSince1970: Self.floorDiv(localSeconds, 86_400)) }

    /// The calendar day in UTC.
    public var utcDay: CalendarDay {
        CalendarDay(daysSince1970: Self.floorDiv(Int(secondsSince1970.rounded(.down)), 86_400))
    }

    /// `HH:MM` in the record's own offset.
    public var localTimeOfDay: String {
        let secondOfDay = Self.floorMod(localSeconds, 86_400)
        return pad2(secondOfDay / 3600) + ":" + pad2((secondOfDay % 3600) / 60)
    }

    /// The offset as `+05:30`, or `Z` for UTC.
    public var offsetText: String { Self.offsetText(utcOffsetSeconds) }

    /// Seconds from `self` to `later` (negative when `later` is earlier).
    public func seconds(until later: Timestamp) -> Double { later.secondsSince1970 - secondsSince1970 }

    public func adding(seconds: Double) -> Timestamp {
        Timestamp(secondsSince1970: secondsSince1970 + seconds, utcOffsetSeconds: utcOffsetSeconds)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSince1970 < rhs.secondsSince1970 }

    /// Equal instants are equal whatever offset they were written with.
    public static func == (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.secondsSince1970 == rhs.secondsSince1970 }
    public func hash(into hasher: inout Hasher) { hasher.combine(secondsSince1970) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Timestamp(iso8601: text) else {
            if let leap = Self.leapSecond(in: text) {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.leapSecondMessage(leap, in: text))
            }
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected an ISO 8601 instant with an offset, like 2026-03-02T10:15:00+05:30, got \"\(text)\""
            )
        }
        self = parsed
    }

    /// An encoder's `userInfo` key: `true` writes instants in UTC with `Z` (the normalised form of
    /// `drillbook inspect --json`) rather than with the offset they were recorded with.
    public static let encodesInUTC = CodingUserInfoKey(rawValue: "drillbook.timestamp.utc")!

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(encoder.userInfo[Self.encodesInUTC] as? Bool == true ? iso8601UTC : iso8601)
    }

    // MARK: - Formatting

    private var localSeconds: Int { Int((secondsSince1970 + Double(utcOffsetSeconds)).rounded(.down)) }

    private func format(offset: Int) -> String {
        let shifted = secondsSince1970 + Double(offset)
        let whole = Int(shifted.rounded(.down))
        let day = CalendarDay(daysSince1970: Self.floorDiv(whole, 86_400))
        let secondOfDay = Self.floorMod(whole, 86_400)
        let fraction = shifted - Double(whole)
        if (0...9999).contains(day.year), fraction <= 0.0005, abs(offset) < 100 * 3600 {
            // `YYYY-MM-DDTHH:MM:SS` and `Z` or `±HH:MM`, written as bytes: the same text as below.
            let length = offset == 0 ? 20 : 25
            return String(unsafeUninitializedCapacity: length) { buffer in
                let bytes = buffer.baseAddress!
                day.writeISO8601(into: bytes)
                bytes[10] = UInt8(ascii: "T")
                writeDigits(secondOfDay / 3600, count: 2, into: bytes + 11)
                bytes[13] = UInt8(ascii: ":")
                writeDigits((secondOfDay % 3600) / 60, count: 2, into: bytes + 14)
                bytes[16] = UInt8(ascii: ":")
                writeDigits(secondOfDay % 60, count: 2, into: bytes + 17)
                if offset == 0 {
                    bytes[19] = UInt8(ascii: "Z")
                } else {
                    let magnitude = abs(offset)
                    bytes[19] = offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
                    writeDigits(magnitude / 3600, count: 2, into: bytes + 20)
                    bytes[22] = UInt8(ascii: ":")
                    writeDigits((magnitude % 3600) / 60, count: 2, into: bytes + 23)
                }
                return length
            }
        }
        var text = day.iso8601 + "T" + pad2(secondOfDay / 3600) + ":" + pad2((secondOfDay % 3600) / 60) + ":"
            + pad2(secondOfDay % 60)
        if fraction > 0.0005 {
            let millis = min(999, Int((fraction * 1000).rounded()))
            text += "." + String(repeating: "0", count: millis < 10 ? 2 : millis < 100 ? 1 : 0) + String(millis)
        }
        return text + Self.offsetText(offset)
    }

    static func offsetText(_ offset: Int) -> String {
        if offset == 0 { return "Z" }
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        return sign + pad2(magnitude / 3600) + ":" + pad2((magnitude % 3600) / 60)
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func floorMod(_ a: Int, _ b: Int) -> Int { a - floorDiv(a, b) * b }
}

func pad2(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }

/// A small byte-level parser: no DateFormatter, so parsing is fast, thread-safe and exact.
private struct TimestampParser {
    let bytes: [UInt8]
    var index = 0
    /// Parse `:60` as the last second of its minute and note it in `leapSecond` (for messages only:
    /// the instant it gives is not the leap second's).
    var acceptsLeapSecond = false
    /// The hour and minute of a `:60` second seen with `acceptsLeapSecond`.
    var leapSecond: (hour: Int, minute: Int)? = nil

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func parse(allowSpaceSeparator: Bool, allowUTCWord: Bool) -> Timestamp? {
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
            let day = digits(2)
        else { return nil }
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t") {
            index += 1
        } else if allowSpaceSeparator && bytes[index] == UInt8(ascii: " ") {
            index += 1
        } else {
            return nil
        }
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2) else { return nil }
        var second = 0
        var fraction = 0.0
        if peek(UInt8(ascii: ":")) {
            index += 1
            guard let s = digits(2) else { return nil }
            second = s
            if peek(UInt8(ascii: ".")) || peek(UInt8(ascii: ",")) {
                index += 1
                var scale = 0.1
                var sawDigit = false
                while index < bytes.count, let d = digitValue(bytes[index]) {
                    fraction += Double(d) * scale
                    scale /= 10
                    index += 1
                    sawDigit = true
                }
                guard sawDigit else { return nil }
            }
        }
        if second == 60 && acceptsLeapSecond {
            leapSecond = (hour, minute)
            second = 59
        }
        guard let date = CalendarDay(year: year, month: month, day: day), hour < 24, minute < 60, second < 60
        else { return nil }
        if allowSpaceSeparator { while peek(UInt8(ascii: " ")) { index += 1 } }
        guard let offset = parseOffset(allowUTCWord: allowUTCWord), index == bytes.count else { return nil }
        let seconds = Double(date.daysSince1970 * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        return Timestamp(secondsSince1970: seconds, utcOffsetSeconds: offset)
    }

    private mutating func parseOffset(allowUTCWord: Bool) -> Int? {
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        if byte == UInt8(ascii: "Z") || byte == UInt8(ascii: "z") {
            index += 1
            return 0
        }
        if allowUTCWord, bytes.count - index == 3, String(decoding: bytes[index...], as: UTF8.self) == "UTC" {
            index += 3
            return 0
        }
        guard byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") else { return nil }
        index += 1
        guard let hours = digits(2), hours <= 23 else { return nil }
        if peek(UInt8(ascii: ":")) { index += 1 }
        guard let minutes = digits(2), minutes < 60 else { return nil }
        let magnitude = hours * 3600 + minutes * 60
        return byte == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func expect(_ byte: UInt8) -> Bool {
        guard peek(byte) else { return false }
        index += 1
        return true
    }

    private mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<count {
            guard let d = digitValue(bytes[index + offset]) else { return nil }
            value = value * 10 + d
        }
        index += count
        return value
    }

    private func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
