import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary folder a build writes into, next to the output folder, and the swap that
/// replaces the old output with it: rename the old output aside, rename the new one in, delete
/// the old. Until the swap, the previous output is never touched.
///
/// Files whose bytes did not change are staged as hard links to the previous output's files
/// (`place(_:at:step:)`), so after the swap they keep their inode and modification time; when no
/// file changed and none was added or removed, the swap is skipped and nothing is written at all.
struct OutputFolder: Sendable {
    let output: URL
    let temporary: URL

    /// Creates the output's parent when missing and an empty temporary folder beside the output.
    static func prepare(_ output: URL) throws(SiteBuildError) -> OutputFolder {
        let fileManager = FileManager.default
        let output = output.standardizedFileURL
        let parent = output.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: output.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw SiteBuildError(
                step: .prepareOutput, path: output.path,
                message: "the output path is a file, not a folder; pass a folder for the site")
        }
        let temporary = parent.appendingPathComponent("." + output.lastPathComponent + ".building-" + UUID().uuidString)
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try fileManager.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw SiteBuildError(
                step: .prepareOutput, path: temporary.path,
                message: "cannot create the temporary build folder next to the output (\(SiteBuilder.reason(error)))")
        }
        return OutputFolder(output: output, temporary: temporary)
    }

    /// Stages `data` at the relative `path`: a hard link to the previous output's file when that
    /// file holds the same bytes, a new file otherwise. Returns true when the file is new or changed.
    func place(_ data: Data, at path: String, step: SiteBuildStep) throws(SiteBuildError) -> Bool {
        let result: Result<Bool, SiteBuildError> = data.withUnsafeBytes { place(bytes: $0, at: path, step: step) }
        return try result.get()
    }

    /// Stages a rendered page, straight from the string's UTF-8 storage (no copy of a large page).
    func place(_ text: String, at path: String, step: SiteBuildStep) throws(SiteBuildError) -> Bool {
        var text = text
        let result: Result<Bool, SiteBuildError> = text.withUTF8 { place(bytes: UnsafeRawBufferPointer($0), at: path, step: step) }
        return try result.get()
    }

    /// Stages a page rendered as bytes (`RenderBuffer`), without a copy.
    func place(_ bytes: UnsafeRawBufferPointer, at path: String, step: SiteBuildStep) throws(SiteBuildError) -> Bool {
        try place(bytes: bytes, at: path, step: step).get()
    }

    private func place(bytes: UnsafeRawBufferPointer, at path: String, step: SiteBuildStep) -> Result<Bool, SiteBuildError> {
        // Joined as strings: `URL.appendingPathComponent` asks the file system whether each path
        // is a folder, which cost more than rendering the page.
        let target = Self.join(temporary.path, path)
        let previous = Self.join(output.path, path)
        if Self.sameBytes(bytes, atPath: previous), link(previous, target) == 0 { return .success(false) }
        let descriptor = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            return .failure(SiteBuildError(step: step, path: path, message: "cannot write the file (\(String(cString: strerror(errno))))"))
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return .failure(SiteBuildError(step: step, path: path, message: "cannot write the file (\(String(cString: strerror(errno))))"))
            }
            offset += written
        }
        return .success(true)
    }

    /// Stages a file written a piece at a time (`write` hands out its text; 256 KB are buffered
    /// at most), then, as `place` does, swaps it for a hard link to the previous output's file
    /// when the bytes are the same. Returns true when the file is new or changed.
    func placeStreamed(
        at path: String, step: SiteBuildStep, _ write: (_ emit: (String) -> Void) -> Void
    ) throws(SiteBuildError) -> Bool {
        let target = Self.join(temporary.path, path)
        let previous = Self.join(output.path, path)
        let descriptor = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw SiteBuildError(step: step, path: path, message: "cannot write the file (\(String(cString: strerror(errno))))")
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
            throw SiteBuildError(step: step, path: path, message: "cannot write the file (\(String(cString: strerror(failure))))")
        }
        if Self.sameFiles(target, previous), unlink(target) == 0 {
            if link(previous, target) == 0 { return false }
            // The staged copy is gone and the link failed: write it again rather than lose it.
            return try placeStreamed(at: path, step: step, write)
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
    func swap(changed: Bool = true) throws(SiteBuildError) -> (carried: [String], replaced: Bool) {
        let carried = try carryDotFiles()
        if !changed, fileManagerHasOutput, let old = Self.entries(under: output), let new = Self.entries(under: temporary),
            old == new
        {
            discard()
            return (carried, false)
        }
        try replace()
        return (carried, true)
    }

    private var fileManagerHasOutput: Bool { FileManager.default.fileExists(atPath: output.path) }

    private func carryDotFiles() throws(SiteBuildError) -> [String] {
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
                    throw SiteBuildError(
                        step: .swapOutput, path: output.appendingPathComponent(name).path,
                        message: "cannot carry the file over into the new output (\(SiteBuilder.reason(error)))")
                }
                carried.append(name)
            }
        }
        return carried
    }

    private func replace() throws(SiteBuildError) {
        let fileManager = FileManager.default
        let oldExists = fileManager.fileExists(atPath: output.path)
        let aside = output.deletingLastPathComponent()
            .appendingPathComponent("." + output.lastPathComponent + ".old-" + UUID().uuidString)
        if oldExists {
            do {
                try fileManager.moveItem(at: output, to: aside)
            } catch {
                throw SiteBuildError(
                    step: .swapOutput, path: output.path,
                    message: "cannot move the previous output aside (\(SiteBuilder.reason(error)))")
            }
        }
        do {
            try fileManager.moveItem(at: temporary, to: output)
        } catch {
            if oldExists { try? fileManager.moveItem(at: aside, to: output) }
            throw SiteBuildError(
                step: .swapOutput, path: output.path,
                message: "cannot move the new site into place (\(SiteBuilder.reason(error))); the previous output was kept")
        }
        if oldExists { try? fileManager.removeItem(at: aside) }
    }

    /// Removes the temporary folder after a failed step.
    func discard() {
        try? FileManager.default.removeItem(at: temporary)
    }
}
