import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Decoded records kept between loads of one content folder (`drillbook serve` keeps one for
/// its whole session), so a rebuild after an edit decodes only the files that changed.
///
/// A file's outcome (its record and its issues) is reused when its identity is what it was: the
/// same size, modification and change times (nanoseconds), inode and device — the change time
/// cannot be set back by `touch`, so an edit that keeps the modification time is still seen. When
/// the identity changed, the file is read and its bytes hashed: the same bytes (a file saved
/// unchanged, copied back) reuse the outcome; other bytes are decoded again. Files gone from the
/// folder are forgotten at the end of each load.
public final class RecordCache: Sendable {
    struct Entry: Sendable {
        var identity: FileIdentity
        var digest: UInt64
        var outcome: ContentLoader.FileOutcome
    }

    struct FileIdentity: Sendable, Equatable {
        var size: Int64, modified: Int64, changed: Int64, inode: UInt64, device: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
            inode = UInt64(info.st_ino)
            device = UInt64(info.st_dev)
        }
    }

    /// How each file of the last load was found: reused by identity, reused by content, or decoded.
    public struct Counts: Sendable, Equatable {
        public var byIdentity = 0
        public var byContent = 0
        public var decoded = 0

        public init(byIdentity: Int = 0, byContent: Int = 0, decoded: Int = 0) {
            self.byIdentity = byIdentity
            self.byContent = byContent
            self.decoded = decoded
        }
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let counting = Mutex<Counts>(Counts())

    public init() {}

    /// What the last load did with each file.
    public var lastCounts: Counts { counting.withLock { $0 } }

    /// The outcome of `file`: the kept one when the file is unchanged, otherwise `decode()`'s.
    func outcome(of file: ContentLoader.ContentFile, read: () -> Result<[UInt8], ContentIssue>,
                 decode: () -> ContentLoader.FileOutcome) -> ContentLoader.FileOutcome {
        let key = file.relative
        // Taken before the file is read: a write after it changes the identity the next load sees.
        guard let identity = FileIdentity(path: file.path) else { return decode() }
        let kept = entries.withLock { $0[key] }
        if let kept, kept.identity == identity, kept.outcome.file.kind == file.kind {
            counting.withLock { $0.byIdentity += 1 }
            return kept.outcome
        }
        guard case .success(let bytes) = read() else { return decode() }
        let digest = Self.digest(bytes)
        if let kept, kept.digest == digest, kept.identity.size == Int64(bytes.count), kept.outcome.file.kind == file.kind {
            entries.withLock { $0[key]?.identity = identity }
            counting.withLock { $0.byContent += 1 }
            return kept.outcome
        }
        let outcome = decode()
        entries.withLock { $0[key] = Entry(identity: identity, digest: digest, outcome: outcome) }
        counting.withLock { $0.decoded += 1 }
        return outcome
    }

    /// Starts a load: the counts start again.
    func beginLoad() { counting.withLock { $0 = Counts() } }

    /// Forgets every file not in `relatives` (deleted or no longer listed).
    func keep(only relatives: Set<String>) {
        entries.withLock { entries in entries = entries.filter { relatives.contains($0.key) } }
    }

    /// FNV-1a, 64 bits, over the file's bytes.
    static func digest(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
