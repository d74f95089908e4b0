/// The page name (slug) the site gives a record's id, and the ids it cannot publish: the site
/// build names pages by these rules, and `check` applies them first, so a bad or colliding id is
/// reported with its file and line rather than failing the build with no place in the content.
public enum PageSlug {
    /// The kinds of record that get a page of their own.
    public enum Kind: String, Sendable {
        case drill, run, incident
        case actionItem = "action item"

        /// The site folder their pages are written to.
        public var folder: String {
            switch self {
            case .drill: "drills"
            case .run: "runs"
            case .incident: "incidents"
            case .actionItem: "actions"
            }
        }
    }

    /// Ids as written in records may contain anything; paths may not. Lower-case letters, digits,
    /// `-` and `_` are kept, every other run of characters becomes one `-`, and the result is cut
    /// to 100 characters. Nil when nothing is left. `INC/1` and `inc-1` both give `inc-1`.
    public static func slug(_ id: String) -> String? {
        if let ascii = asciiSlug(id) { return ascii.isEmpty ? nil : ascii }
        var result = ""
        var pendingDash = false
        for scalar in id.unicodeScalars {
            let lowered = scalar.properties.lowercaseMapping
            if lowered.unicodeScalars.count == 1, let c = lowered.unicodeScalars.first,
                (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
            {
                if pendingDash && !result.isEmpty { result += "-" }
                pendingDash = false
                result.unicodeScalars.append(c)
            } else {
                pendingDash = true
            }
        }
        if result.count > 100 {
            result = String(result.prefix(100))
            while result.hasSuffix("-") { result.removeLast() }
        }
        return result.isEmpty ? nil : result
    }

    /// `slug` of an ASCII id, byte by byte (nil for any other id, whose lower-case mappings the
    /// scalar loop looks up); empty when nothing is left. Every id is slugged at load and build.
    static func asciiSlug(_ id: String) -> String? {
        var id = id
        return id.withUTF8 { bytes -> String? in
            var result: [UInt8] = []
            result.reserveCapacity(min(bytes.count, 100))
            var pendingDash = false
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                if (lowered >= UInt8(ascii: "a") && lowered <= UInt8(ascii: "z")) || (lowered >= UInt8(ascii: "0") && lowered <= UInt8(ascii: "9"))
                    || lowered == UInt8(ascii: "-") || lowered == UInt8(ascii: "_")
                {
                    if pendingDash && !result.isEmpty { result.append(UInt8(ascii: "-")) }
                    pendingDash = false
                    result.append(lowered)
                } else {
                    pendingDash = true
                }
            }
            if result.count > 100 {
                result.removeSubrange(100...)
                while result.last == UInt8(ascii: "-") { result.removeLast() }
            }
            return String(decoding: result, as: UTF8.self)
        }
    }

    /// The views of the action-item pages (`actions/<view>.html`, `actions/<view>-2.html`, …).
    public static let actionViews = ["index", "overdue", "done", "owners", "priorities", "sources"]

    /// Why `id` cannot name a page of `kind` (a sentence for an error message), or nil when it can.
    /// Collisions between two ids are the caller's to find, by comparing slugs.
    public static func problem(id: String, kind: Kind) -> String? {
        guard let slug = slug(id) else {
            return "the " + kind.rawValue + " id " + quoted(id) + " has no letters or digits to name its page; use letters, digits and dashes"
        }
        return problem(id: id, slug: slug, kind: kind)
    }

    /// `problem(id:kind:)` for an id already slugged (`slug` is `slug(id)`). Every id is checked
    /// at load, so the message's parts are built only when there is a problem to report.
    static func problem(id: String, slug: String, kind: Kind) -> String? {
        var name: String { "the " + kind.rawValue + " id " + quoted(id) }
        var page: String { kind.folder + "/" + slug + ".html" }
        switch kind {
        case .actionItem:
            if actionViews.contains(slug) || slug == "actions" || isNumberedPage(slug, of: actionViews) {
                return name + " would be written to " + page + ", which is a view of the action items; rename it (e.g. AI-2026-001)"
            }
        case .drill, .run, .incident:
            if slug == "index" { return name + " would be written to " + page + ", the section's index page; rename it" }
            if kind == .drill, isRunHistoryPage(slug) {
                return name + " would be written to " + page + ", the name of a page of another drill's run history; rename it"
            }
            if kind == .incident, isNumberedPage(slug, of: "index") {
                return name + " would be written to " + page + ", a page of the incident index; rename it"
            }
        }
        return nil
    }

    /// True for `done-2`, `index-13`: the names of a paginated view's later pages.
    static func isNumberedPage(_ slug: String, of views: [String]) -> Bool {
        views.contains { isNumberedPage(slug, of: $0) }
    }

    /// `isNumberedPage` for one view, on the UTF-8 bytes (no strings built: every id is checked).
    static func isNumberedPage(_ slug: String, of view: String) -> Bool {
        let bytes = slug.utf8
        let prefix = view.utf8
        guard bytes.count > prefix.count + 1, bytes.starts(with: prefix) else { return false }
        let rest = bytes.dropFirst(prefix.count)
        return rest.first == UInt8(ascii: "-") && rest.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `redis-runs-2`: the name of a later page of a drill's run history.
    static func isRunHistoryPage(_ slug: String) -> Bool {
        guard let dash = slug.lastIndex(of: "-"), let number = Int(slug[slug.index(after: dash)...]), number > 1 else {
            return false
        }
        return slug[..<dash].hasSuffix("-runs")
    }
}
