import DrillbookContent
import DrillbookModel

/// Text formatting shared by the page models, so a value reads the same on every page.
enum SiteText {
    /// `2026-03-02 10:15 +05:30` (or `… UTC`): the time the team saw, in the record's own offset.
    static func localTime(_ timestamp: Timestamp) -> String {
        timestamp.localDay.iso8601 + " " + timestamp.localTimeOfDay + " " + offsetLabel(timestamp)
    }

    /// `10:05:08`, for timelines within a page whose date is known: seconds matter there.
    static func clockTime(_ timestamp: Timestamp) -> String {
        String(timestamp.iso8601.dropFirst(11).prefix(8))
    }

    /// A measured value through MetricFormat; a `count` unit prints as a bare number (`0`, not `0 count`).
    static func metric(_ value: Double, unit: String?) -> String {
        let unit = unit ?? ""
        return MetricFormat.value(value, unit: unit == "count" ? "" : unit)
    }

    /// A criterion's measured value as `metric` writes it, with the decimals it takes not to
    /// contradict the verdict (`MetricFormat.value(_:unit:judgedBy:against:)`); `–` when not measured.
    static func actual(_ result: CriterionResult) -> String {
        let unit = result.unit ?? ""
        return result.actual.map { MetricFormat.value($0, unit: unit == "count" ? "" : unit, judgedBy: result.comparison, against: result.target) } ?? "–"
    }

    /// `≤ 30 s`, or nil without a numeric target.
    static func target(_ comparison: Comparison?, _ target: Double?, unit: String?) -> String? {
        guard let comparison, let target else { return nil }
        return comparison.symbol + " " + metric(target, unit: unit)
    }

    static func offsetLabel(_ timestamp: Timestamp) -> String {
        timestamp.utcOffsetSeconds == 0 ? "UTC" : timestamp.offsetText
    }

    /// `text` on one line, runs of white space as one space, at most `limit` characters (an
    /// ellipsis marks a cut): for meta descriptions and the search index.
    static func plainLine(_ text: String, limit: Int = 200) -> String {
        asciiPlainLine(text, limit: limit) ?? scalarPlainLine(text, limit: limit)
    }

    /// `plainLine` by characters, for any text (the ASCII fast path must agree with it).
    static func scalarPlainLine(_ text: String, limit: Int) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        var line = words.joined(separator: " ")
        if line.count > limit { line = String(line.prefix(limit - 1)) + "…" }
        return line
    }

    /// `plainLine` of an ASCII text, byte by byte (nil for any other text): the white space of
    /// ASCII is tab, LF, VT, FF, CR and space (`Character.isWhitespace`; `\r\n` is one such
    /// character), and every other ASCII byte is one character, so the limit counts bytes.
    static func asciiPlainLine(_ text: String, limit: Int) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var line: [UInt8] = []
            line.reserveCapacity(bytes.count)
            var pendingSpace = false
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                if byte == 0x20 || (byte >= 0x9 && byte <= 0xD) {
                    pendingSpace = !line.isEmpty
                    continue
                }
                if pendingSpace {
                    line.append(0x20)
                    pendingSpace = false
                }
                line.append(byte)
            }
            if line.count > limit {
                line.removeSubrange((limit - 1)...)
                line.append(contentsOf: "…".utf8)
            }
            return String(decoding: line, as: UTF8.self)
        }
    }

    /// `3 of 4 runs passed` style counts: `1 run`, `2 runs`.
    static func count(_ value: Int, _ singular: String, _ plural: String? = nil) -> String {
        String(value) + " " + (value == 1 ? singular : (plural ?? singular + "s"))
    }

    /// `67 %`, or `–` when there is nothing to divide.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        return MetricFormat.value((Double(part) * 100 / Double(whole) * 10).rounded() / 10, unit: "%")
    }

    /// The page name of a record id: `PageSlug.slug`, the rule `check` applies first, so an id
    /// the site cannot name a page with is a located content error, never a build failure.
    static func slug(_ id: String) -> String? { PageSlug.slug(id) }
}

extension RunOutcome {
    /// `Passed`, `Failed`, `Aborted`.
    var title: String {
        switch self {
        case .passed: "Passed"
        case .failed: "Failed"
        case .aborted: "Aborted"
        }
    }

    /// A shape that tells the outcome without colour.
    var icon: String {
        switch self {
        case .passed: "✔"
        case .failed: "✘"
        case .aborted: "■"
        }
    }
}

extension Verdict {
    var title: String {
        switch self {
        case .met: "Met"
        case .missed: "Missed"
        case .notMeasured: "Not measured"
        }
    }

    var icon: String {
        switch self {
        case .met: "✔"
        case .missed: "✘"
        case .notMeasured: "○"
        }
    }
}
