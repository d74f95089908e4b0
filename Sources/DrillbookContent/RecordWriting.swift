public import DrillbookModel
public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see the old content or the new, never half of it.
public enum AtomicFile {
    /// Writes `data` to a temporary file in the same folder, flushes it to disk (fsync) and renames
    /// it over `url`. Creates missing parent folders. The temporary file is removed on failure.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent("." + url.lastPathComponent + ".tmp-" + UUID().uuidString)
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw AtomicFileError(path: temporary.path, operation: "create", code: errno) }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(descriptor) }
            if !renamed { unlink(temporary.path) }
        }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFileError(path: temporary.path, operation: "write", code: errno)
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw AtomicFileError(path: temporary.path, operation: "fsync", code: errno) }
        closed = true
        guard close(descriptor) == 0 else { throw AtomicFileError(path: temporary.path, operation: "close", code: errno) }
        guard rename(temporary.path, url.path) == 0 else {
            throw AtomicFileError(path: url.path, operation: "rename", code: errno)
        }
        renamed = true
        // Make the rename itself durable.
        let folderDescriptor = open(folder.path, O_RDONLY)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}

/// A failed step of `AtomicFile.write`, with the system's reason.
public struct AtomicFileError: Error, Sendable, CustomStringConvertible {
    /// The file the step was applied to.
    public var path: String
    /// `create`, `write`, `fsync`, `close` or `rename`.
    public var operation: String
    /// The `errno` value.
    public var code: Int32

    /// `cannot rename PATH: REASON`.
    public var description: String {
        "cannot " + operation + " " + path + ": " + String(cString: strerror(code))
    }
}

/// The canonical JSON form drillbook writes records in: sorted keys, pretty printed, `/` not
/// escaped, a trailing newline. Encoding a decoded canonical record gives the same bytes.
public enum RecordJSON {
    /// `value` in the canonical form, ending with a newline.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}

/// What `drillbook inspect --json` prints for an incident, whichever form it was written in:
/// every field, times as ISO 8601 UTC with `Z`, absent optionals as `null`, and `durationSeconds`.
public enum IncidentNormalisedJSON {
    /// The normalised incident, in the canonical JSON form (sorted keys, trailing newline).
    public static func encode(_ incident: Incident) throws -> Data {
        try RecordJSON.encode(NormalisedIncident(incident))
    }
}

private struct NormalisedIncident: Encodable {
    let incident: Incident

    init(_ incident: Incident) { self.incident = incident }

    enum Keys: String, CodingKey {
        case id, severity, type, location, description, impact, initialResponse, declaredAt, startedAt, detectedAt
        case acknowledgedAt, escalatedAt, nextUpdate, updates, resolvedAt, statedDuration, durationSeconds, rootCause
        case resolutionActions, preventionMeasures, lessonsLearned, actionItems, drillRunId, extra
    }

    struct Update: Encodable {
        let update: IncidentUpdate
        enum Keys: String, CodingKey { case at, status, progress, currentSituation, nextSteps, nextUpdate }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(update.at.iso8601UTC, forKey: .at)
            try c.encode(update.status, forKey: .status)
            try c.encode(update.progress, forKey: .progress)
            try c.encode(update.currentSituation, forKey: .currentSituation)
            try c.encode(update.nextSteps, forKey: .nextSteps)
            try c.encode(update.nextUpdate, forKey: .nextUpdate)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        let i = incident
        try c.encode(i.id, forKey: .id)
        try c.encode(i.severity, forKey: .severity)
        try c.encode(i.type, forKey: .type)
        try c.encode(i.location, forKey: .location)
        try c.encode(i.description, forKey: .description)
        try c.encode(i.impact, forKey: .impact)
        try c.encode(i.initialResponse, forKey: .initialResponse)
        try c.encode(i.declaredAt.iso8601UTC, forKey: .declaredAt)
        try c.encode(i.startedAt?.iso8601UTC, forKey: .startedAt)
        try c.encode(i.detectedAt?.iso8601UTC, forKey: .detectedAt)
        try c.encode(i.acknowledgedAt?.iso8601UTC, forKey: .acknowledgedAt)
        try c.encode(i.escalatedAt?.iso8601UTC, forKey: .escalatedAt)
        try c.encode(i.nextUpdate, forKey: .nextUpdate)
        try c.encode(i.updates.map(Update.init), forKey: .updates)
        try c.encode(i.resolvedAt?.iso8601UTC, forKey: .resolvedAt)
        try c.encode(i.statedDuration, forKey: .statedDuration)
        try c.encode(i.durationSeconds, forKey: .durationSeconds)
        try c.encode(i.rootCause, forKey: .rootCause)
        try c.encode(i.resolutionActions, forKey: .resolutionActions)
        try c.encode(i.preventionMeasures, forKey: .preventionMeasures)
        try c.encode(i.lessonsLearned, forKey: .lessonsLearned)
        try c.encode(i.actionItems, forKey: .actionItems)
        try c.encode(i.drillRunId, forKey: .drillRunId)
        try c.encode(i.extra, forKey: .extra)
    }
}
