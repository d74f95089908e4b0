import DrillbookContent
public import DrillbookModel
public import Foundation

/// Writes run records atomically and exclusively as pretty, sorted JSON at
/// `<records>/<YYYY>/<YYYY-MM-DD>-<drill-id>[-N].json`.
///
/// The record's `id` is its file name without `.json` (`RunRecordId`): the engine's record carries
/// the name without a suffix, the writer the name it could claim. Names are claimed with
/// `AtomicFile.create` (a hard link, which fails when the name is taken), so runs of one drill
/// that end at the same moment get `-2`, `-3`, … instead of overwriting each other.
public struct RunRecordWriter: Sendable {
    public var directory: URL

    public init(directory: URL) { self.directory = directory }

    /// Names tried before giving up (`…-2` to `…-9999`).
    static let maximumSuffix = 9_999

    /// The JSON text of a record in drillbook's canonical form (`RecordJSON`), byte-identical for
    /// identical records.
    public static func encode(_ run: DrillRun) throws -> Data { try RecordJSON.encode(run) }

    /// Writes the record under a name no other record has (`-2`, `-3`, … when the day already has
    /// a run of this drill, or another run claims the name at the same moment), sets its `id` to
    /// match the file name, and returns the file and the record written. Never replaces a file.
    /// Throws `AtomicFileError` naming the folder or file that could not be written.
    @discardableResult
    public func write(_ run: DrillRun) throws -> (url: URL, run: DrillRun) {
        let year = String(run.startedAt.localDay.iso8601.prefix(4))
        let folder = directory.appendingPathComponent(year, isDirectory: true)
        try AtomicFile.createFolder(folder)
        var record = run
        for attempt in 1...Self.maximumSuffix {
            record.id = RunRecordId.executed(drillId: run.drillId, startedAt: run.startedAt, attempt: attempt)
            let url = folder.appendingPathComponent(record.id + ".json")
            // Skip names taken earlier without writing; the create below settles any race.
            if FileManager.default.fileExists(atPath: url.path) { continue }
            do {
                try AtomicFile.create(try Self.encode(record), at: url)
                return (url, record)
            } catch let error as AtomicFileError where error.fileExists {
                continue
            }
        }
        throw AtomicFileError(
            path: folder.appendingPathComponent(RunRecordId.executed(drillId: run.drillId, startedAt: run.startedAt) + "-N.json").path,
            operation: "create", code: EEXIST)
    }

    /// Writes `data` to a temporary file beside `url`, flushes it and renames it over `url`.
    public static func atomicWrite(_ data: Data, to url: URL) throws { try AtomicFile.write(data, to: url) }
}
