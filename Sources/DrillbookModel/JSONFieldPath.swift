extension Probe {
    /// The keys of a `jsonField`: a dotted path (`data.provider`, `items.0.id`) or a JSON path (`$.items[0].id`,
    /// `$['a key'].x`), or nil when the path is malformed.
    public static func jsonFieldKeys(_ path: String) -> [String]? {
        guard path.hasPrefix("$") else {
            let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            return keys.isEmpty || keys.contains("") ? nil : keys
        }
        var keys: [String] = []
        var rest = path.dropFirst()
        // Bounded: each pass consumes at least one character.
        while let first = rest.first {
            if first == "." {
                let name = rest.dropFirst().prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { return nil }
                keys.append(String(name))
                rest = rest.dropFirst(1 + name.count)
            } else if first == "[" {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                var inside = rest[rest.index(after: rest.startIndex)..<close]
                if inside.count >= 2, let quote = inside.first, quote == "'" || quote == "\"", inside.last == quote {
                    inside = inside.dropFirst().dropLast()
                } else if Int(inside) == nil {
                    return nil
                }
                keys.append(String(inside))
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return keys
    }
}
