import Foundation
import DrillbookModel
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Decoded records kept between loads of one content folder: `drillbook serve` keeps one for its
/// whole session, `drillbook build` restores one from the build cache (`BuildCache` in
/// DrillbookOutput) and saves it again, so a rebuild after an edit decodes only the files that changed.
///
/// A file's outcome (its record and its issues) is reused when its identity is what it was: the
/// same size, modification and change times (nanoseconds), inode and device — the change time
/// cannot be set back by `touch`, so an edit that keeps the modification time is still seen. When
/// the identity changed, the file is read and its bytes digested (`ContentDigest`): the same bytes
/// (a file saved unchanged, copied back) reuse the outcome; other bytes are decoded again. Files
/// gone from the folder are forgotten at the end of each load. Every load also leaves the digest
/// of each file's bytes (`digests`), which the site's page fingerprints are made from.
public final class RecordCache: Sendable {
    struct Entry: Sendable {
        var identity: FileIdentity
        var digest: UInt64
        var kind: ContentLoader.Kind
        var record: LoadedRecord?
        var issues: [ContentIssue]
        /// What pages other than the file's own read of it (`overviews`): the digest of the file's
        /// bytes, or, for a run file edited in its details only (the same `RunOverview` and
        /// issues), the value it had before the edit.
        var overview: UInt64
        /// The entry as the build cache stores it, when already made (restored, or saved before);
        /// a restored entry's bytes stay in the buffer the cache was read into, not copied.
        var encoded: ArraySlice<UInt8>?
    }

    struct FileIdentity: Sendable, Equatable {
        var size: Int64, modified: Int64, changed: Int64, inode: UInt64, device: UInt64

        init(size: Int64, modified: Int64, changed: Int64, inode: UInt64, device: UInt64) {
            self.size = size
            self.modified = modified
            self.changed = changed
            self.inode = inode
            self.device = device
        }

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

    let entries = Mutex<[String: Entry]>([:])
    private let counting = Mutex<Counts>(Counts())

    public init() {}

    /// What the last load did with each file.
    public var lastCounts: Counts { counting.withLock { $0 } }

    /// The digest of the bytes of every file the last load listed, by path relative to the
    /// content folder (files that could not be read have none).
    public var digests: [String: UInt64] {
        entries.withLock { entries in entries.mapValues(\.digest) }
    }

    /// What every page but a file's own page reads of each file the last load listed, by path: the
    /// digest of its bytes, except that a run file edited in its details alone (`RunDetails`: the
    /// summary, timeline, observations, probes, outputs, series; its `RunOverview` and issues as
    /// they were) keeps the value it had. Two loads with the same values had the same overviews.
    public var overviews: [String: UInt64] {
        entries.withLock { entries in entries.mapValues(\.overview) }
    }

    /// The outcome of `file`: the kept one when the file is unchanged, otherwise `decode`'s, from
    /// the bytes `read` gave (each file is read once).
    func outcome(
        of file: ContentLoader.ContentFile, read: () -> Result<[UInt8], ContentIssue>,
        decode: (Result<[UInt8], ContentIssue>) -> ContentLoader.FileOutcome
    ) -> ContentLoader.FileOutcome {
        let key = file.relative
        // Taken before the file is read: a write after it changes the identity the next load sees.
        guard let identity = FileIdentity(path: file.path) else { return decode(read()) }
        let kept = entries.withLock { $0[key] }
        if let kept, kept.identity == identity, kept.kind == file.kind {
            counting.withLock { $0.byIdentity += 1 }
            return ContentLoader.FileOutcome(file: file, record: kept.record, issues: kept.issues)
        }
        let contents = read()
        guard case .success(let bytes) = contents else {
            entries.withLock { _ = $0.removeValue(forKey: key) }
            return decode(contents)
        }
        let digest = ContentDigest.of(bytes)
        if let kept, kept.digest == digest, kept.identity.size == Int64(bytes.count), kept.kind == file.kind {
            entries.withLock { $0[key]?.identity = identity }
            counting.withLock { $0.byContent += 1 }
            return ContentLoader.FileOutcome(file: file, record: kept.record, issues: kept.issues)
        }
        let outcome = decode(contents)
        var overview = digest
        if let kept, kept.kind == file.kind, case .run(let before)? = kept.record, case .run(let after)? = outcome.record,
            before.overview == after.overview, kept.issues == outcome.issues
        {
            overview = kept.overview
        }
        entries.withLock {
            $0[key] = Entry(
                identity: identity, digest: digest, kind: file.kind, record: outcome.record, issues: outcome.issues,
                overview: overview)
        }
        counting.withLock { $0.decoded += 1 }
        return outcome
    }

    /// Starts a load: the counts start again.
    func beginLoad() { counting.withLock { $0 = Counts() } }

    /// Forgets every file not in `relatives` (deleted or no longer listed).
    func keep(only relatives: Set<String>) {
        entries.withLock { entries in entries = entries.filter { relatives.contains($0.key) } }
    }
}
