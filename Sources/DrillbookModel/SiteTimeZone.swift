import Foundation

/// An IANA time zone that the site shows times in (`timeZone` in `site.yaml`): a timestamp keeps
/// its instant and takes the zone's offset at that instant (summer time included).
public struct SiteTimeZone: Sendable, Hashable {
    /// The IANA name, `UTC` by default.
    public let identifier: String
    private let zone: TimeZone

    /// UTC, the zone of a site whose configuration names none.
    public static let utc = SiteTimeZone(validIdentifier: "UTC")

    /// The zone named `identifier`, or nil when it is not an IANA `Area/Location` name (`UTC`
    /// aside) the system's time-zone database knows: abbreviations such as `EST` and offsets
    /// such as `+05:30` are refused, as is any path-like name (`..`).
    public init?(identifier: String) {
        guard identifier == "UTC" || Self.isAreaLocation(identifier), TimeZone(identifier: identifier) != nil else { return nil }
        self.init(validIdentifier: identifier)
    }

    /// `Europe/London`, `America/Argentina/Buenos_Aires`, `Etc/GMT+5`: an upper-case area, then
    /// one or more `/`-separated parts of ASCII letters, digits, `_`, `+` and `-`.
    static func isAreaLocation(_ name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, let first = parts[0].unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty
                && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_+-".unicodeScalars.contains($0) }
        }
    }

    private init(validIdentifier: String) {
        self.identifier = validIdentifier
        self.zone = TimeZone(identifier: validIdentifier) ?? TimeZone(secondsFromGMT: 0)!
    }

    /// `timestamp` at the same instant, with this zone's offset.
    public func converting(_ timestamp: Timestamp) -> Timestamp {
        Timestamp(secondsSince1970: timestamp.secondsSince1970, utcOffsetSeconds: zone.secondsFromGMT(for: timestamp.date))
    }

    public static func == (lhs: SiteTimeZone, rhs: SiteTimeZone) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}
