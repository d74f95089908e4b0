/// The site's settings, from `content/site.yaml` (or `.yml`); every key is optional.
///
/// ```yaml
/// organisation: Example Co
/// title: Drill history
/// baseURL: https://drills.example.internal/
/// timeZone: Asia/Kolkata
/// trackerURL: https://tracker.example.internal/browse/{id}
/// ```
public struct SiteConfiguration: Sendable, Hashable, Codable {
    /// Shown in page headers, print and announcements; nothing is shown when absent.
    public var organisation: String?
    /// The site title; `SiteConfiguration.defaultTitle` when absent.
    public var title: String?
    /// The absolute http(s) address the site is published at (canonical links, Open Graph, the feed).
    public var baseURL: String?
    /// The IANA time zone dates and times on pages are shown in; UTC when absent.
    public var timeZone: String?
    /// The action-item link pattern, `{id}` replaced by the action id; no link when absent.
    public var trackerURL: String?
    /// Whether local realisations (a run rehearsed on a laptop) count in leadership figures;
    /// false when absent.
    public var includeLocalRuns: Bool?

    public init(
        organisation: String? = nil, title: String? = nil, baseURL: String? = nil, timeZone: String? = nil,
        trackerURL: String? = nil, includeLocalRuns: Bool? = nil
    ) {
        self.organisation = organisation
        self.title = title
        self.baseURL = baseURL
        self.timeZone = timeZone
        self.trackerURL = trackerURL
        self.includeLocalRuns = includeLocalRuns
    }

    /// The title of a site whose configuration names none.
    public static let defaultTitle = "Drill history"

    /// The title to show: the configured one, or the default.
    public var siteTitle: String { title ?? Self.defaultTitle }

    /// Whether leadership figures include local realisations.
    public var countsLocalRuns: Bool { includeLocalRuns ?? false }

    /// The tracker link of action `id` through `trackerURL`, or nil without a pattern. The id is
    /// percent-encoded, so it cannot end the path or start a query.
    public func trackerLink(forAction id: String) -> String? {
        guard let trackerURL, trackerURL.contains("{id}") else { return nil }
        var encoded = ""
        for byte in id.utf8 {
            if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "-._~".utf8.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        var link = ""
        var rest = Substring(trackerURL)
        while let range = rest.firstRange(of: "{id}") {
            link += rest[..<range.lowerBound] + encoded
            rest = rest[range.upperBound...]
        }
        return link + rest
    }

    /// Whether `text` is an absolute `http://` or `https://` address with a host and without
    /// spaces, quotes, angle brackets or control characters: the only addresses pages link to.
    public static func isWebAddress(_ text: String) -> Bool {
        let lower = text.lowercased()
        let schemeEnd = lower.hasPrefix("https://") ? 8 : (lower.hasPrefix("http://") ? 7 : 0)
        guard schemeEnd > 0 else { return false }
        let host = text.dropFirst(schemeEnd).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !host.isEmpty else { return false }
        return !text.unicodeScalars.contains { scalar in
            scalar.value <= 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\"" || scalar == "<" || scalar == ">"
                || scalar == "\\" || scalar == "`" || scalar.value == 0xFFFE || scalar.value == 0xFFFF
        }
    }
}
