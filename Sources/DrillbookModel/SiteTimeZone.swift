import Foundation

/// An IANA time zone that the site shows times in (`timeZone` in `site.yaml`): a timestamp keeps
/// its instant and takes the zone's offset at that instant (summer time included).
public struct SiteTimeZone: Sendable, Hashable {
    /// The IANA name, `UTC` by default.
    public let identifier: String
    private let zone: TimeZone

    /// UTC, the zone of a site whose configuration names none.
    public static let utc = SiteTimeZone(validIdentifier: "UTC")

    /// The zone named `identifier`, or nil when the system's time-zone database does not know
    /// the name (abbreviations such as `EST` and offsets such as `+05:30` are not IANA names).
    public init?(identifier: String) {
        guard identifier == "UTC" || TimeZone.knownTimeZoneIdentifiers.contains(identifier) else { return nil }
        self.init(validIdentifier: identifier)
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
