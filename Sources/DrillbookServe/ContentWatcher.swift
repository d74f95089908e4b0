import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tells when the content or theme folders may have changed. inotify on every folder under them
/// (new folders are watched as they appear) wakes the server within milliseconds of a save and
/// costs nothing while nobody types; a tick every `interval` besides catches what inotify cannot
/// see (files behind a symbolic link that leads out of the folder, a folder replaced whole). The
/// consumer decides from the inputs' fingerprint (`BuildState.inputs`) whether anything changed,
/// so a tick or an event that changed nothing costs one metadata walk, not a build. Where
/// inotify is not available it polls at `interval` alone.
///
/// Runs on a thread of its own (it blocks in `poll`), never on a Swift concurrency thread.
final class ContentWatcher: Sendable {
    let folders: [String]
    let interval: Duration
    private let stopped = Atomic<Bool>(false)
    /// The files inotify named since the last `takeChanges()` (real paths), and whether that is
    /// all that changed (false after a dropped queue or a folder made, moved or removed).
    private let pending = Mutex<(paths: Set<String>, complete: Bool)>(([], true))

    init(folders: [URL], interval: Duration = .seconds(1)) {
        self.folders = folders.map { $0.standardizedFileURL.path }
        self.interval = interval
    }

    /// One element per wake-up (after a burst of events settles, or a tick); ends after `stop()`.
    func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let thread = Thread { [self] in
            watch { continuation.yield() }
            continuation.finish()
        }
        thread.name = "drillbook-serve-watch"
        thread.start()
        return stream
    }

    func stop() { stopped.store(true, ordering: .releasing) }

    /// The real paths of the files inotify saw change since the last call, or nil when that may
    /// not be all (events dropped, folders changed, no inotify); then the caller looks at everything.
    func takeChanges() -> Set<String>? {
        pending.withLock { pending in
            defer { pending = ([], true) }
            return pending.complete ? pending.paths : nil
        }
    }

    private var intervalMilliseconds: Int32 {
        let parts = interval.components
        return Int32(max(10, min(60_000, parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000)))
    }

    private func watch(_ changed: () -> Void) {
        let descriptor = inotify_init1(Int32(IN_CLOEXEC))
        defer { if descriptor >= 0 { close(descriptor) } }
        var folderOf: [Int32: String] = [:]
        if descriptor >= 0 { addWatches(descriptor, into: &folderOf) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopped.load(ordering: .acquiring) {
            guard descriptor >= 0 else {
                usleep(UInt32(intervalMilliseconds) * 1000)
                pending.withLock { $0.complete = false }
                changed()
                continue
            }
            var ready = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let count = poll(&ready, 1, intervalMilliseconds)
            if count > 0 {
                // Drain the burst an editor's save makes (write, rename, chmod), 20 ms of quiet at most 300 ms.
                var rounds = 0
                var foldersChanged = false
                repeat {
                    let count = read(descriptor, &buffer, buffer.count)
                    if count > 0 {
                        let events = Self.events(buffer[..<count])
                        if events.foldersChanged { foldersChanged = true }
                        let paths = events.named.map { (folderOf[$0.watch] ?? "\u{0}") + "/" + $0.name }
                        pending.withLock { pending in
                            pending.paths.formUnion(paths)
                            if events.foldersChanged || events.named.contains(where: { folderOf[$0.watch] == nil }) { pending.complete = false }
                        }
                    }
                    rounds += 1
                    ready.revents = 0
                } while rounds < 15 && poll(&ready, 1, 20) > 0
                // A save of a file leaves the folders as they were: walking every folder again
                // (a stat of every entry at 10,000 runs) is only for a folder made, moved or gone.
                if foldersChanged { addWatches(descriptor, into: &folderOf) }
            }
            if stopped.load(ordering: .acquiring) { break }
            changed()
        }
    }

    /// Whether the inotify events in `bytes` may have changed which folders there are: a folder
    /// made, moved in or out, or removed, a watch lost, or events dropped (the queue overflowed).
    /// Also the entries the events name (`watch`: the watch descriptor of their folder).
    static func events(_ bytes: ArraySlice<UInt8>) -> (foldersChanged: Bool, named: [(watch: Int32, name: String)]) {
        let header = MemoryLayout<inotify_event>.size
        var offset = bytes.startIndex
        let folderMask = UInt32(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)
        let watchMask = UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_Q_OVERFLOW)
        var changed = false
        var named: [(watch: Int32, name: String)] = []
        while offset + header <= bytes.endIndex {
            let (watch, mask, length) = bytes.withUnsafeBytes { raw in
                let event = raw.loadUnaligned(fromByteOffset: offset - bytes.startIndex, as: inotify_event.self)
                return (event.wd, event.mask, Int(event.len))
            }
            if mask & watchMask != 0 { changed = true }
            if mask & UInt32(IN_ISDIR) != 0, mask & folderMask != 0 { changed = true }
            let start = offset + header
            guard start + length <= bytes.endIndex else { break }
            if length > 0 {
                let name = bytes[start..<(start + length)].prefix { $0 != 0 }
                named.append((watch, String(decoding: name, as: UTF8.self)))
            }
            offset = start + length
        }
        // A partial event at the end: be safe.
        return (changed || offset != bytes.endIndex, named)
    }

    static func foldersChanged(_ bytes: ArraySlice<UInt8>) -> Bool { events(bytes).foldersChanged }

    /// Watches every folder under the watched folders (links to folders are followed, each real
    /// folder once, at most 10,000 folders). Adding a watch again is harmless (the kernel keeps
    /// one per folder), so a folder deleted and made again is watched again.
    private func addWatches(_ descriptor: Int32, into folderOf: inout [Int32: String]) {
        var pending = folders
        let mask = UInt32(IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF)
        var seen: Set<String> = []
        while let folder = pending.popLast(), seen.count < 10_000 {
            guard let real = realpath(folder, nil) else { continue }
            let path = String(cString: real)
            free(real)
            guard seen.insert(path).inserted else { continue }
            let watch = inotify_add_watch(descriptor, path, mask)
            if watch >= 0 { folderOf[watch] = path }
            // `readdir`'s entry types: only links and entries of unknown type need a stat.
            guard let directory = opendir(path) else { continue }
            while let entry = readdir(directory) {
                let type = entry.pointee.d_type
                guard type == UInt8(DT_DIR) || type == UInt8(DT_LNK) || type == UInt8(DT_UNKNOWN) else { continue }
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name == "." || name == ".." { continue }
                if type == UInt8(DT_DIR) {
                    pending.append(path + "/" + name)
                    continue
                }
                var info = stat()
                if stat(path + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { pending.append(path + "/" + name) }
            }
            closedir(directory)
        }
    }
}
