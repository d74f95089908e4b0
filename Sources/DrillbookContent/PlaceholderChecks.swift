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
