public import DrillbookModel
import DrillbookContent
public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the last successful build saw, kept beside the output folder (`.<output>.build-state`),
/// so that a rebuild whose inputs and output are exactly as that build left them does nothing.
///
/// Inputs are fingerprinted as make and Hugo do, from file metadata rather than bytes: the path,
/// size, modification time (nanoseconds), inode and type of every entry under the content folder
/// and the theme (for a symbolic link, its target path and the stamp of what it points to, so an
/// edit behind a link is seen), every option that changes a byte of the site (the `asOf` day, the
/// base URL, the real paths of the content and theme folders) and the drillbook executable
/// itself (its path and stamp); input entries carry their change time too, so an edit that keeps
/// the size, the modification time and the inode is seen. The output folder is
/// fingerprinted the same way, so deleting or editing a built file makes the next build run in
/// full. Builds that printed warnings are never skipped (their warnings must show again). Any
/// doubt (no state file, unreadable folders, a different tool) means a full build.
public struct BuildState: Codable, Equatable, Sendable {
    /// The fingerprint of the inputs (`inputs(content:theme:asOf:baseURL:)`).
    public var inputs: String
    /// The fingerprint of the output folder the build left (`output(_:)`).
    public var output: String
    /// What the build loaded and wrote, reported again when a rebuild is skipped.
    public var drills: Int
    public var runs: Int
    public var incidents: Int
    public var pages: Int

    public init(inputs: String, output: String, drills: Int, runs: Int, incidents: Int, pages: Int) {
        self.inputs = inputs
        self.output = output
        self.drills = drills
        self.runs = runs
        self.incidents = incidents
        self.pages = pages
    }

    /// Where the state of builds into `output` is kept.
    static func location(of output: URL) -> URL {
        let output = output.standardizedFileURL
        return output.deletingLastPathComponent().appendingPathComponent("." + output.lastPathComponent + ".build-state")
    }

    public static func read(for output: URL) -> BuildState? {
        guard let data = FileManager.default.contents(atPath: location(of: output).path) else { return nil }
        return try? JSONDecoder().decode(BuildState.self, from: data)
    }

    public func write(for output: URL) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return }
        try? data.write(to: Self.location(of: output), options: .atomic)
    }

    public static func forget(for output: URL) {
        unlink(location(of: output).path)
    }

    /// The fingerprint of a build's inputs, or nil when a folder cannot be listed.
    public static func inputs(content: URL, theme: URL, asOf: CalendarDay, baseURL: String?) -> String? {
        var hasher = Fingerprint()
        hasher.add("drillbook-build-state 3\n")
        hasher.add("as-of " + asOf.iso8601 + "\n")
        // The URL's length first, so no base URL and any text stay apart.
        hasher.add("base-url " + (baseURL.map { String($0.utf8.count) + " " + $0 } ?? "none") + "\n")
        let here = FileManager.default.currentDirectoryPath
        hasher.add("content " + OutputGuard.realPath(content.path, workingDirectory: here) + "\n")
        hasher.add("theme " + OutputGuard.realPath(theme.path, workingDirectory: here) + "\n")
        let executable = Bundle.main.executablePath ?? "?"
        hasher.add("exe " + executable + "\t" + (targetStamp(executable) ?? "?") + "\n")
        // Inputs with their change times too: an edit that keeps the size, the modification time and
        // the inode (written in place, `touch -d` back) still changes the change time, which cannot be set.
        guard hasher.addTree(content, label: "content", changeTimes: true),
            hasher.addTree(theme, label: "theme", followingLinksOut: true, changeTimes: true)
        else { return nil }
        return hasher.value
    }

    /// The fingerprint of a built output folder, or nil when it is missing.
    public static func output(_ output: URL) -> String? {
        var hasher = Fingerprint()
        guard hasher.addTree(output, label: "output") else { return nil }
        return hasher.value
    }

    /// `size mtime inode type` of one entry, without following symbolic links.
    static func stamp(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return stamp(info)
    }

    /// The stamp of what `path` points to, following symbolic links (nil when it does not resolve).
    static func targetStamp(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return stamp(info)
    }

    static func stamp(_ info: stat) -> String {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return String(info.st_size) + " " + String(time.tv_sec) + "." + String(time.tv_nsec) + " " + String(info.st_ino)
            + " " + String(info.st_mode & S_IFMT)
    }
}

/// FNV-1a (64 bit) over the sorted stamps of folder trees: stable across runs and platforms.
private struct Fingerprint {
    /// The package's one digest of bytes (`ContentDigest`, also the build cache's).
    private var digest = ContentDigest()
    private var count = 0

    mutating func add(_ text: String) {
        digest.add(text)
        count += 1
    }

    /// Adds every entry under `root` (the root included); false when it cannot be listed.
    /// With `followingLinksOut`, folders that links inside the tree name outside it are walked
    /// too, each once (the theme's `assets` may be a link to another theme's).
    mutating func addTree(_ root: URL, label: String, followingLinksOut: Bool = false, changeTimes: Bool = false) -> Bool {
        let path = root.standardizedFileURL.path
        guard let rootStamp = BuildState.stamp(path) else { return false }
        // A walk with readdir and lstat: FileManager's enumerator took most of a no-change rebuild.
        var entries: [(relative: String, stamp: String)] = []
        var scope = WalkScope(
            root: OutputGuard.realPath(path, workingDirectory: "/"), followsLinksOut: followingLinksOut, changeTimes: changeTimes)
        guard Self.walk(path, prefix: "", scope: &scope, into: &entries) else { return false }
        add(label + " " + rootStamp + "\n")
        for entry in entries.sorted(by: { $0.relative < $1.relative }) {
            add(entry.relative + "\t" + entry.stamp + "\n")
        }
        return true
    }

    /// Every entry under `folder` (hidden ones too), with its stamp. A symbolic link is not walked
    /// into (a folder it names inside the tree is walked at its own path): its stamp adds the
    /// link's text and the stamp of its target, so an edit behind it changes the fingerprint.
    private static func walk(
        _ folder: String, prefix: String, scope: inout WalkScope, into entries: inout [(relative: String, stamp: String)]
    ) -> Bool {
        guard let directory = opendir(folder) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let full = folder + "/" + name
            let relative = prefix + name
            var info = stat()
            guard lstat(full, &info) == 0 else { return false }
            var stamp = BuildState.stamp(info)
            if scope.changeTimes { stamp += " c" + String(info.st_ctim.tv_sec) + "." + String(info.st_ctim.tv_nsec) }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                var target = stat()
                let resolves = stat(full, &target) == 0
                stamp += " -> " + (Self.linkText(full) ?? "?") + " " + (resolves ? BuildState.stamp(target) : "dangling")
                if resolves, scope.changeTimes { stamp += " c" + String(target.st_ctim.tv_sec) + "." + String(target.st_ctim.tv_nsec) }
                entries.append((relative, stamp))
                if resolves, (target.st_mode & S_IFMT) == S_IFDIR, let outside = scope.outsideFolder(full) {
                    guard walk(outside, prefix: relative + "/", scope: &scope, into: &entries) else { return false }
                }
                continue
            }
            entries.append((relative, stamp))
            if (info.st_mode & S_IFMT) == S_IFDIR {
                guard walk(full, prefix: relative + "/", scope: &scope, into: &entries) else { return false }
            }
        }
        return true
    }

    /// Which linked folders a walk enters: none, or (`followsLinksOut`) those outside the tree's
    /// root that are not its ancestors, each once, so the walk ends and stays linear.
    private struct WalkScope {
        let root: String
        let followsLinksOut: Bool
        /// Whether stamps carry change times (the inputs; not the output, whose files a build links).
        let changeTimes: Bool
        var visited: Set<String> = []

        /// The real path of the folder the link at `path` names, when the walk should enter it.
        mutating func outsideFolder(_ path: String) -> String? {
            guard followsLinksOut else { return nil }
            let real = OutputGuard.realPath(path, workingDirectory: "/")
            guard real != root, !OutputGuard.isInside(real, root), !OutputGuard.isInside(root, real),
                visited.insert(real).inserted
            else { return nil }
            return real
        }
    }

    /// What the link at `path` holds (`../archive/x.json`).
    private static func linkText(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var value: String { String(digest.value, radix: 16) + "-" + String(count) }
}
