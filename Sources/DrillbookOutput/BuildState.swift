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
        inputsListing(content: content, theme: theme, asOf: asOf, baseURL: baseURL)?.fingerprint
    }

    /// The inputs' fingerprint (`inputs`) and how many symbolic links the content folder holds
    /// (`drillbook serve` trusts inotify to name every changed content file only without links).
    public static func inputsListing(content: URL, theme: URL, asOf: CalendarDay, baseURL: String?) -> (fingerprint: String, contentLinks: Int)? {
        var hasher = Fingerprint()
        hasher.add("drillbook-build-state 4\n")
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
        guard hasher.addTree(content, label: "content", changeTimes: true) else { return nil }
        let contentLinks = hasher.links
        guard hasher.addTree(theme, label: "theme", followingLinksOut: true, changeTimes: true) else { return nil }
        return (hasher.value, contentLinks)
    }

    /// The fingerprint of a built output folder, or nil when it is missing.
    public static func output(_ output: URL) -> String? {
        outputListing(output)?.fingerprint
    }

    /// The output folder's fingerprint (`output(_:)`) and which entries it holds (`names`: a digest
    /// of the relative paths of every file and folder in it, top-level dot-files left out; compare
    /// with `names(of:)` of the paths a build writes), from one walk; nil when it is missing.
    public static func outputListing(_ output: URL) -> (fingerprint: String, names: UInt64)? {
        var hasher = Fingerprint()
        guard hasher.addTree(output, label: "output") else { return nil }
        return (hasher.value, hasher.names)
    }

    /// The `names` digest of a folder holding exactly the files at `paths` (relative,
    /// `/`-separated) and the folders that lead to them, as `outputListing` takes it of a folder.
    public static func names(of paths: some Sequence<String>) -> UInt64 {
        var sum: UInt64 = 0
        var folders: [Substring: UInt64] = ["": Fingerprint.rootKey]
        func key(of folder: Substring) -> UInt64 {
            if let known = folders[folder] { return known }
            let slash = folder.lastIndex(of: "/")
            let parent = slash.map { folder[..<$0] } ?? ""
            let name = slash.map { folder[folder.index(after: $0)...] } ?? folder
            let parentKey = key(of: parent)
            var text = String(name)
            let value = text.withUTF8 { Fingerprint.folderKey(parentKey, UnsafeRawBufferPointer($0)) }
            if !(parent.isEmpty && name.hasPrefix(".")) {
                text.withUTF8 { sum &+= Fingerprint.nameDigest(folder: parentKey, name: UnsafeRawBufferPointer($0)) }
            }
            folders[folder] = value
            return value
        }
        for path in paths {
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { path[..<$0] } ?? ""
            if slash == nil, path.hasPrefix(".") { continue }
            let folderKey = key(of: folder)
            var name = String(slash.map { path[path.index(after: $0)...] } ?? path[...])
            name.withUTF8 { sum &+= Fingerprint.nameDigest(folder: folderKey, name: UnsafeRawBufferPointer($0)) }
        }
        return sum
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

/// A digest of folder trees from their entries' metadata, stable across runs and platforms.
///
/// Each entry (its path relative to the tree's root, its size, modification time, inode and type,
/// and for a link its text and its target's stamp) gets a `ContentDigest` of its own, and the tree's
/// value is the wrapping sum of those: independent of the order `readdir` lists entries in, so the
/// walk never sorts nor builds a string per entry (it took most of a one-run rebuild's walk), and
/// two trees differ in value when any entry differs (with the odds of a 64-bit digest).
/// Entries are stat'ed relative to their folder's descriptor (`fstatat`), not by full path.
struct Fingerprint {
    /// The package's one digest of bytes (`ContentDigest`, also the build cache's).
    private var digest = ContentDigest(seed: 0x4255_494C_4453_5434)
    private var count = 0
    /// The wrapping sum of the entries' digests, and of their paths' digests alone
    /// (`names`: which entries a tree holds, not their stamps; top-level dot-files left out).
    private(set) var entries: UInt64 = 0
    private(set) var names: UInt64 = 0
    /// How many symbolic links the last tree added holds.
    private(set) var links = 0

    mutating func add(_ text: String) {
        digest.add(text)
        count += 1
    }

    /// The key of a path's folder (`runs/2026`: the key of `runs` with `2026` added), from the root's.
    static let rootKey: UInt64 = 0x5041_5448_524F_4F54

    static func folderKey(_ parent: UInt64, _ name: UnsafeRawBufferPointer) -> UInt64 {
        var digest = ContentDigest(seed: parent)
        digest.add(name)
        return digest.value
    }

    /// The digest of an entry's path alone, as `names` sums it: `runs/x.html` is `x.html` in the
    /// key of `runs`.
    static func nameDigest(folder: UInt64, name: UnsafeRawBufferPointer) -> UInt64 {
        var digest = ContentDigest(seed: folder ^ 0x4E41_4D45)
        digest.add(name)
        return digest.value
    }

    /// Adds every entry under `root` (the root included); false when it cannot be listed.
    /// With `followingLinksOut`, folders that links inside the tree name outside it are walked
    /// too, each once (the theme's `assets` may be a link to another theme's).
    mutating func addTree(_ root: URL, label: String, followingLinksOut: Bool = false, changeTimes: Bool = false) -> Bool {
        let path = root.standardizedFileURL.path
        guard let rootStamp = BuildState.stamp(path) else { return false }
        var scope = WalkScope(
            root: OutputGuard.realPath(path, workingDirectory: "/"), followsLinksOut: followingLinksOut, changeTimes: changeTimes)
        var sums = (entries: UInt64(0), names: UInt64(0), count: 0, links: 0)
        guard let directory = opendir(path), Self.walk(directory, path: path, key: Self.rootKey, top: true, scope: &scope, into: &sums)
        else { return false }
        add(label + " " + rootStamp + "\n")
        digest.add(sums.entries)
        digest.add(UInt64(sums.count))
        entries = sums.entries
        names = sums.names
        links = sums.links
        count += sums.count
        return true
    }

    /// Every entry under the open folder `directory` (hidden ones too; it is closed here), its
    /// digest summed into `sums`. A symbolic link is not walked into (a folder it names inside the
    /// tree is walked at its own path): its digest adds the link's text and the stamp of its
    /// target, so an edit behind it changes the fingerprint.
    private static func walk(
        _ directory: OpaquePointer, path folder: String, key: UInt64, top: Bool, scope: inout WalkScope,
        into sums: inout (entries: UInt64, names: UInt64, count: Int, links: Int)
    ) -> Bool {
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        while let entry = readdir(directory) {
            let done: Bool? = withUnsafeBytes(of: &entry.pointee.d_name) { raw -> Bool? in
                let base = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
                let length = strlen(base)
                let name = UnsafeRawBufferPointer(start: raw.baseAddress, count: length)
                if length == 1 && name[0] == 0x2E || length == 2 && name[0] == 0x2E && name[1] == 0x2E { return nil }
                var info = stat()
                guard fstatat(descriptor, base, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
                var digest = ContentDigest(seed: key)
                digest.add(name)
                Self.add(info, changeTimes: scope.changeTimes, to: &digest)
                let childKey = folderKey(key, name)
                var ok = true
                if (info.st_mode & S_IFMT) == S_IFLNK {
                    sums.links += 1
                    let full = folder + "/" + String(cString: base)
                    var target = stat()
                    let resolves = stat(full, &target) == 0
                    digest.add(Self.linkText(full) ?? "\u{0}?")
                    if resolves { Self.add(target, changeTimes: scope.changeTimes, to: &digest) } else { digest.add("\u{0}dangling") }
                    if resolves, (target.st_mode & S_IFMT) == S_IFDIR, let outside = scope.outsideFolder(full) {
                        if let sub = opendir(outside) {
                            ok = walk(sub, path: outside, key: childKey, top: false, scope: &scope, into: &sums)
                        } else {
                            ok = false
                        }
                    }
                } else if (info.st_mode & S_IFMT) == S_IFDIR {
                    let sub = openat(descriptor, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                    if sub >= 0, let opened = fdopendir(sub) {
                        ok = walk(opened, path: folder + "/" + String(cString: base), key: childKey, top: false, scope: &scope, into: &sums)
                    } else {
                        if sub >= 0 { close(sub) }
                        ok = false
                    }
                }
                sums.entries &+= digest.value
                if !(top && name[0] == 0x2E) { sums.names &+= nameDigest(folder: key, name: name) }
                sums.count += 1
                return ok
            }
            if done == false { return false }
        }
        return true
    }

    /// An entry's size, modification time, inode and type (and change time, for the inputs).
    private static func add(_ info: stat, changeTimes: Bool, to digest: inout ContentDigest) {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        let change = info.st_ctimespec
        #else
        let time = info.st_mtim
        let change = info.st_ctim
        #endif
        digest.add(UInt64(bitPattern: Int64(info.st_size)))
        digest.add(UInt64(bitPattern: Int64(time.tv_sec)))
        digest.add(UInt64(bitPattern: Int64(time.tv_nsec)))
        digest.add(UInt64(info.st_ino))
        digest.add(UInt64(info.st_mode & S_IFMT))
        if changeTimes {
            digest.add(UInt64(bitPattern: Int64(change.tv_sec)))
            digest.add(UInt64(bitPattern: Int64(change.tv_nsec)))
        }
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
