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
        let temporary = try writeTemporary(data, beside: url)
        var placed = false
        defer { if !placed { unlink(temporary.path) } }
        guard rename(temporary.path, url.path) == 0 else {
            throw AtomicFileError(path: url.path, operation: "rename", code: errno)
        }
        placed = true
        syncFolder(of: url)
    }

    /// Writes `data` as a new file at `url`, never over an existing one: the data goes to a
    /// temporary file beside it (flushed with fsync), which is then hard-linked to `url`. `link(2)`
    /// is atomic and fails when the name is taken, so of several writers racing for one name
    /// exactly one wins and readers never see a partial file. Throws `AtomicFileError` with code
    /// `EEXIST` when `url` exists (nothing is changed then). On file systems without hard links the
    /// name is first reserved with `O_CREAT | O_EXCL` and the temporary file renamed over it.
    public static func create(_ data: Data, at url: URL) throws {
        let temporary = try writeTemporary(data, beside: url)
        defer { unlink(temporary.path) }
        if link(temporary.path, url.path) != 0 {
            let code = errno
            guard [EPERM, EXDEV, EMLINK, ENOTSUP, EOPNOTSUPP].contains(code) else {
                throw AtomicFileError(path: url.path, operation: "create", code: code)
            }
            // No hard links here: reserve the name exclusively, then move the full file onto it.
            let reserved = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard reserved >= 0 else { throw AtomicFileError(path: url.path, operation: "create", code: errno) }
            close(reserved)
            guard rename(temporary.path, url.path) == 0 else {
                let renameCode = errno
                unlink(url.path)
                throw AtomicFileError(path: url.path, operation: "rename", code: renameCode)
            }
        }
        syncFolder(of: url)
    }

    /// Creates `folder` and its missing ancestors (like `mkdir -p`), with errors that name the
    /// folder that could not be made and say why (`cannot create folder /x/y: Not a directory`).
    public static func createFolder(_ folder: URL) throws {
        let path = folder.standardizedFileURL.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            // A file where a folder should be: name it, it is what the user has to move.
            throw AtomicFileError(path: path, operation: "create folder", code: ENOTDIR)
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        if parent.path != path { try createFolder(parent) }
        if mkdir(path, 0o755) != 0 {
            let code = errno
            if code == EEXIST, FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return  // made by someone else meanwhile
            }
            throw AtomicFileError(path: path, operation: "create folder", code: code)
        }
    }

    /// `data` in a new, flushed temporary file in `url`'s folder (created when missing). Errors
    /// name `url`, the file the caller asked for, not the temporary name.
    private static func writeTemporary(_ data: Data, beside url: URL) throws -> URL {
        let folder = url.deletingLastPathComponent()
        try createFolder(folder)
        let temporary = folder.appendingPathComponent("." + url.lastPathComponent + ".tmp-" + UUID().uuidString)
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw AtomicFileError(path: url.path, operation: "write", code: errno) }
        var closed = false
        var complete = false
        defer {
            if !closed { close(descriptor) }
            if !complete { unlink(temporary.path) }
        }
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFileError(path: url.path, operation: "write", code: errno)
                }
                offset += written
            }
        }
        guard fsync(descriptor) == 0 else { throw AtomicFileError(path: url.path, operation: "fsync", code: errno) }
        closed = true
        guard close(descriptor) == 0 else { throw AtomicFileError(path: url.path, operation: "close", code: errno) }
        complete = true
        return temporary
    }

    /// Makes a rename or link in `url`'s folder durable.
    private static func syncFolder(of url: URL) {
        let folderDescriptor = open(url.deletingLastPathComponent().path, O_RDONLY)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }
}

/// A failed step of `AtomicFile.write` or `AtomicFile.create`, with the system's reason.
public struct AtomicFileError: Error, Sendable, CustomStringConvertible {
    /// The file (or folder) the caller asked for; never a temporary name.
    public var path: String
    /// `create`, `create folder`, `write`, `fsync`, `close` or `rename`.
    public var operation: String
    /// The `errno` value.
    public var code: Int32

    /// A failed `operation` on `path` with the system's `errno` value `code`.
    public init(path: String, operation: String, code: Int32) {
        self.path = path
        self.operation = operation
        self.code = code
    }

    /// True when the file exists already (`AtomicFile.create` found the name taken).
    public var fileExists: Bool { code == EEXIST && operation == "create" }

    /// `cannot rename PATH: REASON`.
    public var description: String {
        "cannot " + operation + " " + path + ": " + String(cString: strerror(code))
    }
}

/// The canonical JSON form drillbook writes records in: sorted keys, pretty printed, `/` not
/// escaped, a trailing newline. Encoding a decoded canonical record gives the same bytes.
public enum RecordJSON {
    /// `value` in the canonical form, ending with a newline.
    public static func encode<T: Encodable>(_ value: T, timestampsInUTC: Bool = false) throws -> Data {
        let encoder = JSONEncoder()
        if timestampsInUTC { encoder.userInfo[Timestamp.encodesInUTC] = true }
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}

/// What `drillbook inspect --json` prints for an incident, whichever form it was written in:
/// every field (`Incident` writes absent optionals as `null`), times as ISO 8601 UTC with `Z`, and
/// `durationSeconds`.
public enum IncidentNormalisedJSON {
    /// The normalised incident, in the canonical JSON form (sorted keys, trailing newline).
    public static func encode(_ incident: Incident) throws -> Data {
        try RecordJSON.encode(Normalised(incident: incident), timestampsInUTC: true)
    }

    /// The incident's own keys, and its duration beside them.
    private struct Normalised: Encodable {
        let incident: Incident

        enum Keys: String, CodingKey { case durationSeconds }

        func encode(to encoder: any Encoder) throws {
            try incident.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(incident.durationSeconds, forKey: .durationSeconds)
        }
    }
}
