import DrillbookModel
import Foundation
import Synchronization

/// The record cache as bytes, for the build cache (`BuildCache` in DrillbookOutput) to store
/// between builds: per file, its path relative to the content folder, its identity, the digest of
/// its bytes and its outcome (the decoded record and the file's issues, in `BinaryCoding`'s form). Reading it back
/// checks every length and every value; anything malformed rejects the whole cache.
extension RecordCache {
    /// Writes the entries, in path order (the same cache gives the same bytes), to `sink` a
    /// piece at a time: entries not yet encoded (decoded by this process) are encoded in parallel
    /// batches, so at most a batch of them is held at once. With `keepingEncoded` each entry keeps
    /// its bytes for the next write (`drillbook serve` writes the cache after every save).
    public func encode(into sink: (ArraySlice<UInt8>) -> Void, keepingEncoded: Bool) {
        let sorted = entries.withLock { entries in entries.sorted { $0.key < $1.key } }
        var head = ByteWriter()
        head.add(UInt64(sorted.count))
        sink(head.bytes[...])
        let batch = 512
        for start in stride(from: 0, to: sorted.count, by: batch) {
            let range = start..<min(sorted.count, start + batch)
            let missing = range.filter { sorted[$0].value.encoded == nil }
            let made = Mutex<[Int: ArraySlice<UInt8>]>([:])
            DispatchQueue.concurrentPerform(iterations: missing.count) { position in
                let index = missing[position]
                let entry = sorted[index].value
                let stored = StoredOutcome(
                    kind: entry.kind.storedName, record: entry.record.map(StoredRecord.init), issues: entry.issues.map(StoredIssue.init))
                let bytes = (try? BinaryCoding.encode(stored)).map { $0[...] } ?? []
                made.withLock { $0[index] = bytes }
            }
            let fresh = made.withLock { $0 }
            var writer = ByteWriter()
            for index in range {
                let (relative, entry) = sorted[index]
                let outcome = entry.encoded ?? fresh[index] ?? []
                writer.add(relative)
                for number in [
                    UInt64(bitPattern: entry.identity.size), UInt64(bitPattern: entry.identity.modified),
                    UInt64(bitPattern: entry.identity.changed), entry.identity.inode, entry.identity.device, entry.digest,
                    entry.overview,
                ] {
                    writer.add(number)
                }
                writer.add(outcome)
                if keepingEncoded, entry.encoded == nil { entries.withLock { $0[relative]?.encoded = outcome } }
            }
            sink(writer.bytes[...])
        }
    }

    /// The entries as one array of bytes (tests; the build cache writes them with `encode(into:)`).
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        encode(into: { bytes += $0 }, keepingEncoded: false)
        return bytes
    }

    /// A cache holding the entries `bytes` (made by `encoded()`) describe, or nil when they are
    /// malformed in any way (a wrong length, an outcome that does not decode, an unknown kind).
    public static func decoding(_ bytes: ArraySlice<UInt8>) -> RecordCache? {
        var reader = ByteReader(bytes)
        guard let cache = decoding(from: &reader), reader.isAtEnd else { return nil }
        return cache
    }

    /// The entries `reader` holds next (what `encode(into:)` wrote), or nil when they are malformed.
    public static func decoding(from reader: inout ByteReader) -> RecordCache? {
        guard let count = reader.number(), count <= UInt64(reader.remaining) else { return nil }
        var raw: [(relative: String, identity: FileIdentity, digest: UInt64, overview: UInt64, outcome: ArraySlice<UInt8>)] = []
        raw.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let relative = reader.text(), let size = reader.number(), let modified = reader.number(),
                let changed = reader.number(), let inode = reader.number(), let device = reader.number(),
                let digest = reader.number(), let overview = reader.number(), let outcome = reader.block()
            else { return nil }
            let identity = FileIdentity(
                size: Int64(bitPattern: size), modified: Int64(bitPattern: modified), changed: Int64(bitPattern: changed),
                inode: inode, device: device)
            raw.append((relative, identity, digest, overview, outcome))
        }
        let items = raw
        let decoded = Mutex<[Int: Entry]>([:])
        let failed = Atomic<Bool>(false)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            let item = items[index]
            guard let stored = try? BinaryCoding.decode(StoredOutcome.self, from: item.outcome),
                let kind = ContentLoader.Kind(storedName: stored.kind), stored.record?.isWhole ?? true
            else {
                failed.store(true, ordering: .relaxed)
                return
            }
            let entry = Entry(
                identity: item.identity, digest: item.digest, kind: kind, record: stored.record?.loaded,
                issues: stored.issues.map(\.issue), overview: item.overview, encoded: item.outcome)
            decoded.withLock { $0[index] = entry }
        }
        if failed.load(ordering: .relaxed) { return nil }
        let cache = RecordCache()
        let made = decoded.withLock { $0 }
        cache.entries.withLock { entries in
            for (index, item) in raw.enumerated() { entries[item.relative] = made[index] }
        }
        return cache
    }
}

extension ContentLoader.Kind {
    var storedName: String {
        switch self {
        case .drill: "drill"
        case .run: "run"
        case .incidentJSON: "incident-json"
        case .incidentText: "incident-text"
        case .actionUpdates: "action-updates"
        case .schedule: "schedule"
        case .site: "site"
        }
    }

    init?(storedName: String) {
        switch storedName {
        case "drill": self = .drill
        case "run": self = .run
        case "incident-json": self = .incidentJSON
        case "incident-text": self = .incidentText
        case "action-updates": self = .actionUpdates
        case "schedule": self = .schedule
        case "site": self = .site
        default: return nil
        }
    }
}

/// A file's outcome as the build cache stores it.
private struct StoredOutcome: Codable {
    var kind: String
    var record: StoredRecord?
    var issues: [StoredIssue]
}

private enum StoredRecord: Codable {
    case drill(DrillDefinition)
    case run(DrillRun)
    case incident(Incident)
    /// The updates with their item's id beside them: `ActionUpdate` does not encode it (in a record
    /// it is the file's name).
    case actionUpdates([ActionUpdate], ids: [String])
    case schedule(DrillSchedule)
    case site(SiteConfiguration)

    init(_ record: LoadedRecord) {
        switch record {
        case .drill(let value): self = .drill(value)
        case .run(let value): self = .run(value)
        case .incident(let value): self = .incident(value)
        case .actionUpdates(let value): self = .actionUpdates(value, ids: value.map(\.actionId))
        case .schedule(let value): self = .schedule(value)
        case .site(let value): self = .site(value)
        }
    }

    var loaded: LoadedRecord {
        switch self {
        case .drill(let value): .drill(value)
        case .run(let value): .run(value)
        case .incident(let value): .incident(value)
        case .actionUpdates(let value, let ids):
            .actionUpdates(zip(value, ids).map { update, id in
                var update = update
                update.actionId = id
                return update
            })
        case .schedule(let value): .schedule(value)
        case .site(let value): .site(value)
        }
    }

    /// False when the stored parts disagree (a count that does not match).
    var isWhole: Bool {
        if case .actionUpdates(let value, let ids) = self { return value.count == ids.count }
        return true
    }
}

private struct StoredIssue: Codable {
    var error: Bool
    var file: String
    var line: Int?
    var column: Int?
    var path: String?
    var hasLocation: Bool
    var message: String

    init(_ issue: ContentIssue) {
        error = issue.isError
        file = issue.file
        line = issue.location?.line
        column = issue.location?.column
        path = issue.location?.jsonPath
        hasLocation = issue.location != nil
        message = issue.message
    }

    var issue: ContentIssue {
        ContentIssue(
            severity: error ? .error : .warning, file: file,
            location: hasLocation ? ContentLocation(line: line, column: column, jsonPath: path) : nil, message: message)
    }
}

/// Little-endian numbers and length-prefixed blocks: the build cache's binary layout.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func add(_ number: UInt64) {
        withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A block: its length, then its bytes.
    public mutating func add(_ block: some Collection<UInt8>) {
        add(UInt64(block.count))
        bytes.append(contentsOf: block)
    }

    public mutating func add(_ text: String) { add(Array(text.utf8)) }
}

/// Reads what `ByteWriter` wrote; every read is checked against the bytes left (nil past the end).
public struct ByteReader: Sendable {
    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    public var isAtEnd: Bool { offset == bytes.endIndex }
    /// How many bytes are left to read.
    public var remaining: Int { bytes.endIndex - offset }

    public mutating func number() -> UInt64? {
        guard bytes.endIndex - offset >= 8 else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return value
    }

    public mutating func block() -> ArraySlice<UInt8>? {
        guard let count = number(), count <= UInt64(bytes.endIndex - offset) else { return nil }
        let block = bytes[offset..<offset + Int(count)]
        offset += Int(count)
        return block
    }

    public mutating func text() -> String? {
        guard let block = block() else { return nil }
        return String(validating: block, as: UTF8.self)
    }
}
