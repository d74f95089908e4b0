public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary folder a build writes into, next to the output folder, and the swap that
/// replaces the old output with it. Until the swap, the previous output is never touched.
///
/// On Linux the swap is one `renameat2(RENAME_EXCHANGE)`: the output path holds the old site
/// until the kernel puts the new one there, so a build killed at any moment leaves a whole site
/// (the old tree, now at the temporary name, is removed afterwards). Elsewhere, and on file
/// systems that cannot exchange, it is two renames. Every staging folder carries the marker
/// (`OutputGuard.markerName`) from its first moment, and holds a lock (`flock`) while its build
/// runs, so the next build can tell leftovers of interrupted builds from a build still running,
/// and removes them.
///
/// Files whose bytes did not change are staged as hard links to the previous output's files
/// (`place(_:at:)`), so after the swap they keep their inode and modification time; when no
/// file changed and none was added or removed, the swap is skipped and nothing is written at all.
public struct OutputFolder: Sendable {
    /// The output folder the build replaces.
    public let output: URL
    /// The staging folder beside it that the build writes into.
    public let temporary: URL
    /// The open staging folder, locked while this build runs.
    private let lock: Int32
    /// Leftovers of interrupted builds removed before this one started, by name, sorted.
    public let removedLeftovers: [String]
    /// Whether the staging folder holds only the files that changed (`prepare(_:sparse:)`):
    /// `apply` then puts them into the output one by one instead of swapping a whole tree.
    public let sparse: Bool

    /// Removes leftovers of interrupted builds, then creates the output's parent when missing and
    /// a locked temporary folder beside the output that holds the marker.
    ///
    /// `sparse`: stage only what changed (a file with the previous output's bytes, or one the build
    /// cache vouches for, is left where it is rather than linked into the staging folder), for a
    /// rebuild that expects to change a few files of a large site; `apply` finishes it.
    public static func prepare(_ output: URL, sparse: Bool = false) throws(OutputError) -> OutputFolder {
        let fileManager = FileManager.default
        let output = output.standardizedFileURL
        let parent = output.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: output.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw OutputError(
                path: output.path,
                message: "the output path is a file, not a folder; pass a folder for the site")
        }
        let removed = removeLeftovers(of: output)
        let temporary = parent.appendingPathComponent(Leftover.staging.name(for: output))
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try fileManager.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw OutputError(
                path: temporary.path,
                message: "cannot create the temporary build folder next to the output (\(OutputError.reason(error)))")
        }
        let lock = open(temporary.path, O_RDONLY | O_DIRECTORY)
        if lock >= 0 { _ = flock(lock, LOCK_EX | LOCK_NB) }
        let folder = OutputFolder(output: output, temporary: temporary, lock: lock, removedLeftovers: removed, sparse: sparse)
        do {
            _ = try folder.place(Data(OutputGuard.markerText.utf8), at: OutputGuard.markerName)
        } catch {
            folder.discard()
            throw error
        }
        return folder
    }

    /// Stages `data` at the relative `path`: a hard link to the previous output's file when that
    /// file holds the same bytes, a new file otherwise. Returns true when the file is new or changed.
    public func place(_ data: Data, at path: String) throws(OutputError) -> Bool {
        let result: Result<Bool, OutputError> = data.withUnsafeBytes { place(bytes: $0, at: path) }
        return try result.get()
    }

    /// Stages a rendered page, straight from the string's UTF-8 storage (no copy of a large page).
    public func place(_ text: String, at path: String) throws(OutputError) -> Bool {
        var text = text
        let result: Result<Bool, OutputError> = text.withUTF8 { place(bytes: UnsafeRawBufferPointer($0), at: path) }
        return try result.get()
    }

    /// Stages a page rendered as bytes (`RenderBuffer`), without a copy.
    public func place(_ bytes: UnsafeRawBufferPointer, at path: String) throws(OutputError) -> Bool {
        try place(bytes: bytes, at: path).get()
    }

    /// Stages the previous output's file at `path` as it is (a hard link), for a page the build
    /// cache vouches for; false when there is no such file (the page is then rendered).
    /// In a sparse staging (`prepare(_:sparse:)`, made only when the output folder is exactly as
    /// the build the cache describes left it) the file is there: nothing is looked at.
    public func keepPrevious(at path: String) -> Bool {
        if sparse { return true }
        let previous = Self.join(output.path, path)
        var info = stat()
        guard lstat(previous, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return link(previous, Self.join(temporary.path, path)) == 0
    }

    private func place(bytes: UnsafeRawBufferPointer, at path: String) -> Result<Bool, OutputError> {
        // Joined as strings: `URL.appendingPathComponent` asks the file system whether each path
        // is a folder, which cost more than rendering the page.
        let target = Self.join(temporary.path, path)
        let previous = Self.join(output.path, path)
        if Self.sameBytes(bytes, atPath: previous), sparse || link(previous, target) == 0 { return .success(false) }
        let descriptor = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            return .failure(OutputError(path: path, message: "cannot write the file (\(String(cString: strerror(errno))))"))
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return .failure(OutputError(path: path, message: "cannot write the file (\(String(cString: strerror(errno))))"))
            }
            offset += written
        }
        return .success(true)
    }

    /// Stages a file written a piece at a time (`write` hands out its text; 256 KB are buffered
    /// at most), then, as `place` does, swaps it for a hard link to the previous output's file
    /// when the bytes are the same. Returns true when the file is new or changed.
    public func placeStreamed(
        at path: String, _ write: (_ emit: (String) -> Void) -> Void
    ) throws(OutputError) -> Bool {
        let target = Self.join(temporary.path, path)
        let previous = Self.join(output.path, path)
        let descriptor = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw OutputError(path: path, message: "cannot write the file (\(String(cString: strerror(errno))))")
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 18)
        var failure: Int32 = 0
        func flush() {
            guard failure == 0, !buffer.isEmpty else { return }
            buffer.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    offset += written
                }
            }
            buffer.removeAll(keepingCapacity: true)
        }
        write { text in
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 18 { flush() }
        }
        flush()
        close(descriptor)
        guard failure == 0 else {
            throw OutputError(path: path, message: "cannot write the file (\(String(cString: strerror(failure))))")
        }
        if Self.sameFiles(target, previous), unlink(target) == 0 {
            if sparse || link(previous, target) == 0 { return false }
            // The staged copy is gone and the link failed: write it again rather than lose it.
            return try placeStreamed(at: path, write)
        }
        return true
    }

    /// Whether two regular files hold the same bytes (size first, then 64 KB at a time).
    static func sameFiles(_ first: String, _ second: String) -> Bool {
        var info = stat()
        guard lstat(first, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        let size = Int(info.st_size)
        guard lstat(second, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == size else { return false }
        let descriptor = open(first, O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let chunk = 1 << 16
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        // Compares the second file against the first one chunk at a time.
        let otherDescriptor = open(second, O_RDONLY)
        guard otherDescriptor >= 0 else { return false }
        defer { close(otherDescriptor) }
        let other = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { other.deallocate() }
        while offset < size {
            let wanted = min(chunk, size - offset)
            guard readFully(descriptor, buffer, wanted), readFully(otherDescriptor, other, wanted),
                memcmp(buffer, other, wanted) == 0
            else { return false }
            offset += wanted
        }
        return true
    }

    private static func readFully(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Bool {
        var done = 0
        while done < count {
            let got = read(descriptor, buffer + done, count - done)
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { return false }
            done += got
        }
        return true
    }

    /// `folder` + `/` + the relative `path`.
    private static func join(_ folder: String, _ path: String) -> String {
        folder.hasSuffix("/") ? folder + path : folder + "/" + path
    }

    /// Whether the regular file at `path` holds exactly `bytes`: size first, then the contents in
    /// chunks, so a large page is never read whole into memory.
    static func sameBytes(_ bytes: UnsafeRawBufferPointer, atPath path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == bytes.count else {
            return false
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let chunk = 1 << 16
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        while offset < bytes.count {
            let wanted = min(chunk, bytes.count - offset)
            let got = read(descriptor, buffer, wanted)
            if got < 0, errno == EINTR { continue }
            guard got > 0, memcmp(buffer, bytes.baseAddress! + offset, got) == 0 else { return false }
            offset += got
        }
        return true
    }

    /// Every entry under `root`, files and folders, by relative path (nil when it cannot be listed).
    static func entries(under root: URL) -> Set<String>? {
        guard let enumerator = FileManager.default.enumerator(atPath: root.path) else { return nil }
        var paths: Set<String> = []
        while let path = enumerator.nextObject() as? String { paths.insert(path) }
        return paths
    }

    /// Carries over the old output's top-level dot-files the build did not write, then swaps —
    /// unless `changed` is false and the staged tree lists exactly the entries of the old output,
    /// in which case the temporary folder is removed and the output is left as it is.
    /// Returns the names carried over and whether the output was replaced.
    public func swap(changed: Bool = true) throws(OutputError) -> (carried: [String], replaced: Bool) {
        let carried = try carryDotFiles()
        if !changed, fileManagerHasOutput, let old = Self.entries(under: output), let new = Self.entries(under: temporary),
            old == new
        {
            discard()
            return (carried, false)
        }
        try replace()
        if lock >= 0 { close(lock) }
        return (carried, true)
    }

    /// Finishes a build: `swap(changed:)` for a whole staged tree. A sparse one (`prepare(_:sparse:)`)
    /// whose site holds exactly the entries of the previous output (`sameEntries`) moves each of
    /// the `changed` files over its old one (a `rename`: a reader sees the old page or the new one,
    /// never half of one; a build killed meanwhile leaves every page whole, some new, and no build
    /// state vouching for them), then removes the staging folder; the rest of the output, its
    /// dot-files included, stays as it is. A sparse one whose site adds or drops an entry links
    /// every file of `paths` it did not stage from the previous output first, then swaps as a
    /// whole tree would.
    public func apply(
        changed: [String], paths: [String], sameEntries: Bool
    ) throws(OutputError) -> (carried: [String], replaced: Bool) {
        guard sparse else { return try swap(changed: !changed.isEmpty) }
        if sameEntries, fileManagerHasOutput {
            for path in changed {
                let target = Self.join(output.path, path)
                guard rename(Self.join(temporary.path, path), target) == 0 else {
                    let reason = String(cString: strerror(errno))
                    discard()
                    throw OutputError(path: target, message: "cannot put the new file in place (\(reason))")
                }
            }
            discard()
            return ([], !changed.isEmpty)
        }
        for path in paths + [OutputGuard.markerName] {
            let staged = Self.join(temporary.path, path)
            var info = stat()
            guard lstat(staged, &info) != 0 else { continue }
            guard link(Self.join(output.path, path), staged) == 0 else {
                throw OutputError(
                    path: Self.join(output.path, path),
                    message: "cannot link the unchanged file into the new output (\(String(cString: strerror(errno))))")
            }
        }
        return try swap(changed: true)
    }

    private var fileManagerHasOutput: Bool { FileManager.default.fileExists(atPath: output.path) }

    private func carryDotFiles() throws(OutputError) -> [String] {
        let fileManager = FileManager.default
        var carried: [String] = []
        let oldExists = fileManager.fileExists(atPath: output.path)
        if oldExists {
            let names = ((try? fileManager.contentsOfDirectory(atPath: output.path)) ?? []).sorted()
            for name in names where name.hasPrefix(".") && name != "." && name != ".." {
                let target = temporary.appendingPathComponent(name)
                guard !fileManager.fileExists(atPath: target.path) else { continue }
                do {
                    // A hard link keeps a regular file's inode and time; folders and the rest are copied.
                    if link(output.appendingPathComponent(name).path, target.path) != 0 {
                        try fileManager.copyItem(at: output.appendingPathComponent(name), to: target)
                    }
                } catch {
                    throw OutputError(
                        path: output.appendingPathComponent(name).path,
                        message: "cannot carry the file over into the new output (\(OutputError.reason(error)))")
                }
                carried.append(name)
            }
        }
        return carried
    }

    /// Puts the staged site at the output path: one exchange where the kernel offers it, so the
    /// output path never lacks a site, then the old tree is removed.
    private func replace() throws(OutputError) {
        var info = stat()
        let oldExists = lstat(output.path, &info) == 0
        #if os(Linux)
        // RENAME_EXCHANGE swaps two existing paths; RENAME_NOREPLACE fails rather than replace one.
        let code = Self.renameat2(temporary.path, output.path, flags: oldExists ? 2 : 1)
        switch code {
        case 0:
            // After an exchange the old site sits at the temporary name.
            if oldExists { Self.removeTree(temporary.path) }
            return
        case ENOSYS, EINVAL:
            break  // no renameat2 here, or a file system that cannot exchange: two renames below
        default:
            throw OutputError(
                path: output.path,
                message: "cannot move the new site into place (\(String(cString: strerror(code)))); the previous output was kept")
        }
        #endif
        try replaceInTwoSteps(oldExists: oldExists)
    }

    #if os(Linux)
    private typealias RenameAt2 = @convention(c) (
        Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32
    ) -> Int32

    /// `renameat2(AT_FDCWD, from, AT_FDCWD, to, flags)`: 0, or the `errno` (ENOSYS when the C
    /// library has no renameat2). Looked up at run time: Swift's Glibc module declares neither
    /// renameat2 nor SYS_renameat2, and cannot call the variadic `syscall`.
    private static func renameat2(_ from: String, _ to: String, flags: UInt32) -> Int32 {
        guard let library = dlopen(nil, RTLD_NOW) else { return ENOSYS }
        defer { dlclose(library) }
        guard let symbol = dlsym(library, "renameat2") else { return ENOSYS }
        let function = unsafeBitCast(symbol, to: RenameAt2.self)
        return function(AT_FDCWD, from, AT_FDCWD, to, flags) == 0 ? 0 : errno
    }
    #endif

    /// The portable swap: rename the old output aside, rename the new one in, remove the old.
    /// A kill between the two renames leaves the old site at `.<name>.old-<UUID>` and none at the
    /// output path; the next build removes that folder.
    private func replaceInTwoSteps(oldExists: Bool) throws(OutputError) {
        let aside = output.deletingLastPathComponent().appendingPathComponent(Leftover.setAside.name(for: output))
        if oldExists, rename(output.path, aside.path) != 0 {
            throw OutputError(
                path: output.path,
                message: "cannot move the previous output aside (\(String(cString: strerror(errno))))")
        }
        if rename(temporary.path, output.path) != 0 {
            let reason = String(cString: strerror(errno))
            if oldExists { rename(aside.path, output.path) }
            throw OutputError(
                path: output.path,
                message: "cannot move the new site into place (\(reason)); the previous output was kept")
        }
        if oldExists { Self.removeTree(aside.path) }
    }

    /// Removes the temporary folder after a failed build.
    public func discard() {
        Self.removeTree(temporary.path)
        if lock >= 0 { close(lock) }
    }

    // MARK: - Leftovers of interrupted builds

    /// The folders a build makes beside its output, named `.<output name>.<kind>-<UUID>`.
    enum Leftover: String, CaseIterable {
        /// A staging folder (`.site.building-…`); after an exchange it holds the old site.
        case staging = "building"
        /// The old site set aside by the two-rename swap (`.site.old-…`).
        case setAside = "old"

        /// A new, unique name of this kind for `output`.
        func name(for output: URL) -> String {
            "." + output.lastPathComponent + "." + rawValue + "-" + UUID().uuidString
        }

        /// The kind of `name`, when it is one drillbook gives folders beside `output`.
        init?(name: String, for output: URL) {
            let prefix = "." + output.lastPathComponent + "."
            guard name.hasPrefix(prefix) else { return nil }
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let kind = Leftover(rawValue: String(rest[..<dash])),
                UUID(uuidString: String(rest[rest.index(after: dash)...])) != nil
            else { return nil }
            self = kind
        }
    }

    /// Removes what interrupted builds into `output` left beside it: folders (not links) named as
    /// drillbook names them (`Leftover`) that no running build holds locked, and that are staging
    /// folders, drillbook sites (`OutputGuard.isDrillbookSite`) or empty. Returns their names, sorted.
    public static func removeLeftovers(of output: URL) -> [String] {
        let parent = output.deletingLastPathComponent().path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            guard let kind = Leftover(name: name, for: output) else { continue }
            let path = parent + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            guard kind == .staging || OutputGuard.isDrillbookSite(path)
                || ((try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty ?? false)
            else { continue }
            let lock = open(path, O_RDONLY | O_DIRECTORY)
            guard lock >= 0 else { continue }
            defer { close(lock) }
            // A build that is still running holds its staging folder locked.
            guard flock(lock, LOCK_EX | LOCK_NB) == 0 else { continue }
            removeTree(path)
            removed.append(name)
        }
        return removed
    }

    /// Removes the folder at `path` and everything under it (a link is removed, not followed),
    /// the marker last, so a build killed meanwhile leaves a folder the next one knows as its own.
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            unlink(path)
            return
        }
        let fileManager = FileManager.default
        for name in (try? fileManager.contentsOfDirectory(atPath: path)) ?? [] where name != OutputGuard.markerName {
            try? fileManager.removeItem(atPath: path + "/" + name)
        }
        unlink(path + "/" + OutputGuard.markerName)
        rmdir(path)
    }
}
