import DrillbookModel

/// Template placeholders left in a record: `drillbook new` writes files full of `[Root cause
/// description]`, `[Time]`, `[Name]`, `[Item 1]`; a record that still holds one would publish it.
/// Each one is a located error (`FILE:LINE: $.rootCause: …`), so `check` and `build` reject the
/// file until every placeholder is replaced.
///
/// A placeholder is `[` + a capital letter + words of letters, digits, spaces and `,.'-` with at
/// least one lower-case letter + `]`, not followed by `(`, `[` or `:` (so Markdown link texts such
/// as `[Redis failover runbook](…)` and all-capital tags such as `[NR]` are not placeholders).
enum PlaceholderChecks {
    /// Every placeholder in the string fields of `record`, each located at its field.
    static func check(_ record: Any, file: String, source: SourceText) -> [ContentIssue] {
        // The walk below reflects every field (a quarter of a cold build's CPU at 10,000 runs);
        // a JSON file whose bytes cannot spell a placeholder in any string skips it.
        if case .json(let bytes) = source, !mayHoldPlaceholder(json: bytes) { return [] }
        var issues: [ContentIssue] = []
        walk(record, path: []) { text, path in
            for placeholder in placeholders(in: text) {
                issues.append(
                    .error(
                        file, source.location(path),
                        "template placeholder \"\(placeholder)\" is still in the record; replace it with what happened"))
            }
        }
        return issues
    }

    /// False when no string decoded from the JSON text `bytes` can hold a placeholder. A
    /// placeholder's `[` is followed by a capital letter; in JSON text that is the `[` byte
    /// followed by an ASCII capital, the first byte of a non-ASCII character (`É`) or an escape.
    /// So the answer is true at any `\u` escape (it may spell `[` or a capital) and at any `[`
    /// followed by `A`…`Z`, a byte of 0x80 or more, or `\\`. A character that starts with any other
    /// ASCII byte is not a capital: no combining mark has a lower-case form, so it equals its
    /// lower-case form (or, starting with `a`…`z`, differs from its upper-case one). Every string
    /// of a decoded record comes from these bytes (the defaults are empty), and a JSON escape
    /// other than `\u` spells no letter.
    static func mayHoldPlaceholder(json bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { bytes in
            let count = bytes.count
            var index = 0
            while index < count {
                switch bytes[index] {
                case UInt8(ascii: "\\"):
                    if index + 1 < count, bytes[index + 1] == UInt8(ascii: "u") { return true }
                    index += 2
                case UInt8(ascii: "["):
                    guard index + 1 < count else { return false }
                    let next = bytes[index + 1]
                    if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(next) || next >= 0x80 || next == UInt8(ascii: "\\") {
                        return true
                    }
                    index += 1
                default:
                    index += 1
                }
            }
            return false
        }
    }

    /// The placeholders in `text`, in order.
    static func placeholders(in text: String) -> [String] {
        var found: [String] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index] == "[" else {
                index += 1
                continue
            }
            var end = index + 1
            while end < characters.count, characters[end] != "]", characters[end] != "[", characters[end] != "\n", end - index <= 80 {
                end += 1
            }
            guard end < characters.count, characters[end] == "]" else {
                index += 1
                continue
            }
            let inner = characters[(index + 1)..<end]
            let next = end + 1 < characters.count ? characters[end + 1] : " "
            if let first = inner.first, first.isUppercase, inner.contains(where: \.isLowercase),
                inner.allSatisfy({ $0.isLetter || $0.isNumber || " ,.'-".contains($0) }), !"([:".contains(next)
            {
                found.append("[" + String(inner) + "]")
            }
            index = end + 1
        }
        return found
    }

    /// Calls `visit` with every string reachable from `value` through stored properties, arrays
    /// and optionals, with its path (property names are the records' keys).
    private static func walk(_ value: Any, path: [PathElement], _ visit: (String, [PathElement]) -> Void) {
        if let text = value as? String {
            visit(text, path)
            return
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            if let some = mirror.children.first { walk(some.value, path: path, visit) }
        case .collection, .set:
            for (index, child) in mirror.children.enumerated() { walk(child.value, path: path + [.index(index)], visit) }
        case .struct, .class:
            for child in mirror.children {
                guard let label = child.label else { continue }
                walk(child.value, path: path + [.key(label.hasPrefix("_") ? String(label.dropFirst()) : label)], visit)
            }
        default:
            return
        }
    }
}
