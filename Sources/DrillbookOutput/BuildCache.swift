public import DrillbookContent
public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a build keeps for the next one beside the output folder (`.<output>.build-cache`), so a
/// rebuild after an edit decodes only the files that changed and renders only the pages whose
/// inputs changed: the decoded records (`RecordCache`, by file identity and content digest) and
/// the fingerprint of each record page's inputs as the output folder holds it.
///
/// The file is one binary blob, written atomically (streamed into a temporary file, then renamed
/// over the old one) after each successful build:
///
/// ```
/// "drillbook-build-cache\n"  format version (UInt64)  key (tool, content folder)
/// records (RecordCache.encode(into:): a count, then per file its path, identity, digest, outcome)
/// pages (a count, then path and fingerprint each)  output fingerprint
/// digest of every byte before it (UInt64: ContentDigest of them in pieces of 64 KiB, `Seal`)
/// ```
///
/// Numbers are little-endian UInt64, blocks a length then their bytes. Nothing in it is trusted
/// until all of it checks: the magic and version, the digest, the key (the drillbook executable
/// that wrote it, by path and stamp, and the content folder, by real path and as given). A cache
/// that fails any check is rebuilt from the content (`problem` says why, in one line). Its page
/// fingerprints are used only while the output folder is exactly as the build that wrote them left it.
public struct BuildCache: Sendable {
    /// The format version: a cache of another version is rebuilt.
    /// 3: outcomes in `BinaryCoding`'s form instead of JSON, the closing digest taken in pieces.
    public static let version: UInt64 = 3
    static let magic = Array("drillbook-build-cache\n".utf8)
    /// Caches larger than this are not read (the bound on what a build loads from it).
    public static let maximumSize = 4 << 30

    /// Whose cache it is: a cache is used only by the executable and for the content folder it was made for.
    public struct Key: Sendable, Equatable {
        public var tool: String
        public var content: String

        public init(tool: String, content: String) {
            self.tool = tool
            self.content = content
        }

        /// This executable (path and stamp, as `BuildState` fingerprints it) and `content`, by real
        /// path and as given (issues name files the way the content folder was given).
        public static func current(content: URL) -> Key {
            let executable = Bundle.main.executablePath ?? "?"
            let here = FileManager.default.currentDirectoryPath
            return Key(
                tool: executable + "\t" + (BuildState.targetStamp(executable) ?? "?"),
                content: OutputGuard.realPath(content.path, workingDirectory: here) + "\t" + content.relativePath)
        }
    }

    public var records: RecordCache
    /// The fingerprint of each record page's inputs, by page path, as the output folder holds it.
    public var pages: [String: UInt64]
    /// `BuildState.output` of the output folder the pages were written to.
    public var output: String

    public init(records: RecordCache, pages: [String: UInt64], output: String) {
        self.records = records
        self.pages = pages
        self.output = output
    }

    /// Where the cache of builds into `output` is kept.
    public static func location(of output: URL) -> URL {
        let output = output.standardizedFileURL
        return output.deletingLastPathComponent().appendingPathComponent("." + output.lastPathComponent + ".build-cache")
    }

    /// What reading the cache gave: the cache, or nothing with the reason (nil when there was no cache).
    public struct Reading: Sendable {
        public var cache: BuildCache?
        /// One line saying why the cache could not be used (`truncated`, `written by another drillbook`, …).
        public var problem: String?
    }

    /// The cache of builds into `output`, when it exists and every check passes.
    public static func read(for output: URL, key: Key) -> Reading {
        let path = location(of: output).path
        var info = stat()
        guard stat(path, &info) == 0 else { return Reading() }
        guard info.st_size <= maximumSize, let bytes = contents(of: path, size: Int(info.st_size)) else {
            return Reading(problem: "it could not be read or is larger than " + String(maximumSize >> 30) + " GB")
        }
        return decode(bytes, key: key)
    }

    /// The file's bytes, read straight into one array (the cache is the size of the records).
    private static func contents(of path: String, size: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let got = Glibc.read(descriptor, buffer.baseAddress! + count, size - count)
                if got < 0, errno == EINTR { continue }
                if got <= 0 { break }
                count += got
            }
            failed = count != size
        }
        return failed ? nil : bytes
    }

    /// The cache `bytes` hold, with every check of `read`.
    static func decode(_ bytes: [UInt8], key: Key) -> Reading {
        guard bytes.count >= magic.count + 16, bytes.starts(with: magic) else {
            return Reading(problem: bytes.starts(with: magic) || magic.starts(with: bytes) ? "it is truncated" : "it is not a drillbook build cache")
        }
        var versionReader = ByteReader(bytes[magic.count..<magic.count + 8])
        guard versionReader.number() == version else { return Reading(problem: "it was written in another format version") }
        var sealReader = ByteReader(bytes[(bytes.count - 8)...])
        let body = bytes[..<(bytes.count - 8)]
        guard sealReader.number() == Seal.of(body) else { return Reading(problem: "it is truncated or damaged (its checksum does not match)") }
        var reader = ByteReader(body[(magic.count + 8)...])
        guard let tool = reader.text(), let content = reader.text() else { return Reading(problem: "it is damaged") }
        guard tool == key.tool else { return Reading(problem: "it was written by another drillbook executable") }
        guard content == key.content else { return Reading(problem: "it was written for another content folder") }
        guard let records = RecordCache.decoding(from: &reader) else { return Reading(problem: "its records do not decode") }
        guard let count = reader.number(), count <= UInt64(reader.remaining) else { return Reading(problem: "it is damaged") }
        var pages: [String: UInt64] = [:]
        pages.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let path = reader.text(), let print = reader.number() else { return Reading(problem: "it is damaged") }
            pages[path] = print
        }
        guard let output = reader.text(), reader.isAtEnd else { return Reading(problem: "it is damaged") }
        return Reading(cache: BuildCache(records: records, pages: pages, output: output))
    }

    /// Hands the cache's bytes (all but the closing digest) to `sink`, a piece at a time.
    func encode(key: Key, into sink: (ArraySlice<UInt8>) -> Void, keepingEncoded: Bool) {
        var head = ByteWriter()
        head.add(Self.version)
        head.add(key.tool)
        head.add(key.content)
        sink(Self.magic[...])
        sink(head.bytes[...])
        records.encode(into: sink, keepingEncoded: keepingEncoded)
        var tail = ByteWriter()
        tail.add(UInt64(pages.count))
        for (path, print) in pages.sorted(by: { $0.key < $1.key }) {
            tail.add(path)
            tail.add(print)
        }
        tail.add(output)
        sink(tail.bytes[...])
    }

    /// The whole file's bytes, as `read` expects them (tests).
    func encoded(key: Key) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(key: key, into: { bytes += $0 }, keepingEncoded: false)
        var seal = ByteWriter()
        seal.add(Seal.of(bytes[...]))
        return bytes + seal.bytes
    }

    /// The closing digest: `ContentDigest` of the bytes before it fed in pieces of 64 KiB, so a
    /// write digests what it streams instead of reading the file back (which held all of it in
    /// memory once more at the end of every build).
    struct Seal {
        static let piece = 1 << 16
        private var digest = ContentDigest()
        private var pending: [UInt8] = []

        init() { pending.reserveCapacity(Self.piece) }

        mutating func add(_ bytes: ArraySlice<UInt8>) {
            var rest = bytes
            while !rest.isEmpty {
                if pending.isEmpty, rest.count >= Self.piece {
                    digest.add(rest.prefix(Self.piece))
                    rest = rest.dropFirst(Self.piece)
                    continue
                }
                let taken = rest.prefix(Self.piece - pending.count)
                pending += taken
                rest = rest.dropFirst(taken.count)
                if pending.count == Self.piece {
                    digest.add(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
        }

        mutating func finish() -> UInt64 {
            if !pending.isEmpty { digest.add(pending) }
            return digest.value
        }

        static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 {
            var seal = Seal()
            seal.add(bytes)
            return seal.finish()
        }
    }

    /// Writes the cache for builds into `output`, atomically, streaming the records (a batch of
    /// them in memory at a time); false when it could not be written (the next build then
    /// rebuilds it). With `keepingEncoded` the records keep their bytes for the next write.
    @discardableResult
    public func write(for output: URL, key: Key, keepingEncoded: Bool = false) -> Bool {
        let target = Self.location(of: output).path
        // One fixed name for the file being written: a build killed while writing leaves it, and
        // the next build's write replaces it, so nothing piles up beside the output.
        let partial = target + ".partial"
        let descriptor = open(partial, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            Self.forget(for: output)
            return false
        }
        var complete = true
        var pending: [UInt8] = []
        var sealing = Seal()
        func flush() {
            sealing.add(pending[...])
            complete = complete && Self.writeAll(pending[...], to: descriptor)
            pending.removeAll(keepingCapacity: true)
        }
        encode(key: key, into: { piece in
            pending += piece
            if pending.count >= 1 << 20 { flush() }
        }, keepingEncoded: keepingEncoded)
        flush()
        var seal = ByteWriter()
        seal.add(sealing.finish())
        complete = complete && Self.writeAll(seal.bytes[...], to: descriptor)
        close(descriptor)
        guard complete, rename(partial, target) == 0 else {
            unlink(partial)
            Self.forget(for: output)
            return false
        }
        return true
    }

    private static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Removes the cache of builds into `output`, if any.
    public static func forget(for output: URL) {
        unlink(location(of: output).path)
    }
}
