import DrillbookEmbedded
import Foundation

/// The default theme the binary carries (`themes/default` at build time), written out once per
/// theme version into the user's cache folder so the site builder reads it like any theme folder:
/// `$XDG_CACHE_HOME/drillbook/theme-<hash>`, else `~/.cache/drillbook/theme-<hash>`, else the
/// temporary folder. A file that is missing or differs from the embedded bytes is rewritten
/// (atomically) before each build, so an edited cache cannot change the site; `--theme` overrides.
enum EmbeddedTheme {
    /// The folder holding the embedded theme, written out or refreshed.
    static func folder() throws -> URL {
        let files = EmbeddedFiles.defaultTheme
        let folder = cacheRoot().appendingPathComponent("theme-" + fingerprint(of: files), isDirectory: true)
        try FilesWriter.refresh(files, in: folder)
        return folder
    }

    static func cacheRoot() -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            return URL(fileURLWithPath: cache, isDirectory: true).appendingPathComponent("drillbook", isDirectory: true)
        }
        if let home = environment["HOME"], home.hasPrefix("/"), FileManager.default.isWritableFile(atPath: home) {
            return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/drillbook", isDirectory: true)
        }
        return URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("drillbook-\(getuid())", isDirectory: true)
    }

    /// FNV-1a (64 bits) over every path and byte, as 16 hex digits: a new theme gets a new folder.
    static func fingerprint(of files: [EmbeddedFile]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        for file in files {
            mix(file.path.utf8)
            mix([0])
            mix(file.data)
            mix([0])
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Writes embedded files into a folder, atomically each (write beside, then rename).
enum FilesWriter {
    /// Writes every file of `files` under `folder` whose bytes differ from the embedded ones.
    static func refresh(_ files: [EmbeddedFile], in folder: URL) throws {
        for file in files {
            let url = folder.appendingPathComponent(file.path)
            let data = file.data
            if (try? Data(contentsOf: url)) == data { continue }
            try write(data, executable: file.executable, to: url)
        }
    }

    /// Writes `data` to `url` through a temporary file beside it, creating the folders on the way.
    static func write(_ data: Data, executable: Bool, to url: URL) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent("." + url.lastPathComponent + ".\(getpid()).tmp")
        try data.write(to: temporary)
        try fileManager.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: temporary.path)
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? fileManager.removeItem(at: temporary)
            throw FilesWriterError(message: "cannot write \(url.path): \(reason)")
        }
    }
}

struct FilesWriterError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
