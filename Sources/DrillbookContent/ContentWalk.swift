#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The file-system side of loading a content folder: what one folder entry is once symbolic
/// links are followed, and reading a file the walk listed. The rules, the same for every file the
/// loader opens (`drills/`, `runs/` at any depth, `incidents/`, `actions/`, `schedule.yaml`):
///
/// - A symbolic link is followed only when its resolved target lies inside the content folder
///   (compared after `realpath`, so `..` and chains of links cannot escape). One that leads
///   outside is an error naming the link, and nothing behind it is read or quoted.
/// - Every folder is read once, however many links lead to it: the walk remembers each folder by
///   device and inode, so a link loop (`ln -s . loop`, `ln -s .. up`) costs one entry, and the
///   walk is linear in the number of entries.
/// - A file reached twice (a link to a file, or a linked folder) is loaded once, under its path
///   outside any linked folder when it has one, else the first in name order.
/// - Only regular files are read: a FIFO or device named `x.json` is an error, not a hang.
enum ContentWalk {
    /// A file or folder, by device and inode.
    struct Identity: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    /// What a folder entry is, after following a symbolic link (`isLink`).
    enum Entry {
        case file(Identity, isLink: Bool)
        case folder(Identity, isLink: Bool)
        /// Neither a regular file nor a folder (FIFO, socket, device).
        case special
        /// A symbolic link whose resolved target is outside the content folder (the target).
        case outside(String)
        /// A symbolic link that leads nowhere (the reason).
        case brokenLink(String)
        /// Gone since the folder was listed.
        case missing
    }

    /// The canonical absolute path of `path` (links resolved), or nil with `errno` set.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// What the entry at `path` is; a symbolic link is followed only into `realRoot`.
    static func entry(at path: String, realRoot: String) -> Entry {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        var isLink = false
        if info.st_mode & S_IFMT == S_IFLNK {
            isLink = true
            guard let resolved = realPath(path) else {
                let reason = errno == ELOOP ? "its links form a loop" : String(cString: strerror(errno))
                return .brokenLink(reason)
            }
            guard RealPath.isWithin(resolved, realRoot) else { return .outside(resolved) }
            guard stat(resolved, &info) == 0 else { return .brokenLink(String(cString: strerror(errno))) }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(Identity(info), isLink: isLink)
        case S_IFDIR: return .folder(Identity(info), isLink: isLink)
        default: return .special
        }
    }

    /// The issue for an entry that is neither a file nor a folder to walk, or nil.
    static func problem(_ entry: Entry, display: String) -> ContentIssue? {
        switch entry {
        case .file, .folder, .missing: return nil
        case .special: return .error(display, nil, message(.special))
        case .outside(let target): return .error(display, nil, message(.outside(target)))
        case .brokenLink(let reason): return .error(display, nil, message(.brokenLink(reason)))
        }
    }

    /// Why a file could not be read.
    enum ReadFailure: Error {
        case outside(String)
        case brokenLink(String)
        case special
        /// Open or read failed.
        case unreadable
    }

    /// The bytes of the regular file at `path`. The last component is opened without following
    /// links; when it is one, it is followed only if it resolves inside `realRoot` (nil: anywhere,
    /// for a file the user named). The type is checked on the open descriptor, so a FIFO never
    /// blocks the load.
    static func contents(atPath path: String, realRoot: String?) -> Result<[UInt8], ReadFailure> {
        var descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        if descriptor < 0 && errno == ELOOP {
            guard let resolved = realPath(path) else {
                return .failure(.brokenLink(errno == ELOOP ? "its links form a loop" : String(cString: strerror(errno))))
            }
            if let realRoot, !RealPath.isWithin(resolved, realRoot) { return .failure(.outside(resolved)) }
            descriptor = open(resolved, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        }
        guard descriptor >= 0 else { return .failure(.unreadable) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.unreadable) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.special) }
        var bytes = [UInt8](repeating: 0, count: max(0, Int(info.st_size)))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return .failure(.unreadable) }
            if count == 0 { break }  // shorter than it was a moment ago
            filled += count
        }
        bytes.removeSubrange(filled...)
        // Longer than it was a moment ago: the rest, a chunk at a time.
        let complete = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16_384) { chunk -> Bool in
            while true {
                let count = read(descriptor, chunk.baseAddress!, chunk.count)
                if count < 0 && errno == EINTR { continue }
                if count < 0 { return false }
                if count == 0 { return true }
                bytes.append(contentsOf: chunk[..<count])
            }
        }
        guard complete else { return .failure(.unreadable) }
        return .success(bytes)
    }

    /// The message for a read failure, as the walk words the same problems.
    static func message(_ failure: ReadFailure) -> String {
        switch failure {
        case .outside(let target):
            return "a symbolic link that leads outside the content folder (to " + target
                + "); copy the file into the content folder instead"
        case .brokenLink(let reason): return "a symbolic link that cannot be followed (" + reason + "); fix or remove the link"
        case .special: return "not a regular file (a FIFO, socket or device); the content folder holds only files and folders"
        case .unreadable: return "cannot read the file"
        }
    }
}
