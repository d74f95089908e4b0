public import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The result of a command that ran to the end (or was stopped at its timeout).
public struct CommandResult: Sendable, Hashable {
    /// Exit status, or nil when the command was killed by a signal or timed out.
    public var exitStatus: Int?
    /// Standard output and standard error, interleaved, read up to a bound.
    public var output: String
    /// True when the command was killed at its timeout.
    public var timedOut: Bool
    /// True when `output` was cut to the bound.
    public var truncated: Bool

    public init(exitStatus: Int?, output: String, timedOut: Bool = false, truncated: Bool = false) {
        self.exitStatus = exitStatus
        self.output = output
        self.timedOut = timedOut
        self.truncated = truncated
    }

    /// `exit 0`, `exit 1: <first line>`, `timed out after 5 s`.
    public var summary: String {
        if timedOut { return "timed out" }
        let status = exitStatus.map { "exit \($0)" } ?? "killed by a signal"
        let firstLine = output.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return firstLine.isEmpty ? status : status + ": " + String(firstLine.prefix(120))
    }
}

/// Starts and stops the drill's child processes. Every child runs `/bin/sh -c COMMAND` in its own
/// process group, so a whole server tree can be signalled and killed at once.
public protocol ProcessLauncher: Sendable {
    /// Runs a command to completion, killing its process group at `timeout` seconds.
    func run(_ command: String, timeout: Double) async -> CommandResult
    /// Starts a background command (the shell `exec`s it, so the pid is the program's) and
    /// returns its pid, which is also its process group id.
    func start(_ command: String, name: String) throws(LaunchError) -> Int32
    /// Sends `signal` to the process group `pid` leads (or to the process, when `group` is false).
    func send(signal: Int32, to pid: Int32, group: Bool) throws(LaunchError)
    /// True while the background process `pid` has not exited.
    func isRunning(_ pid: Int32) -> Bool
    /// The first bytes the background process `pid` wrote (for records and error messages).
    func output(of pid: Int32) -> String
    /// Kills every process group this launcher started and reaps them; returns the pids it had to kill.
    func terminateAll() async -> [Int32]
}

/// Why a process could not be started or signalled.
public struct LaunchError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The real launcher: `posix_spawn` with `POSIX_SPAWN_SETPGROUP`, output to a file in the run's
/// directory (no pipes to drain, so a chatty server can never block on a full pipe).
///
/// swift-subprocess scopes a child to a closure; drill servers outlive any one step and their pids
/// are needed later by kill/signal actions, so this small launcher keeps them in a table instead.
public final class PosixProcessLauncher: ProcessLauncher {
    private struct Child {
        var command: String
        var logPath: String
        var exited: Bool
    }

    private let directory: URL
    private let outputLimit: Int
    private let children = Mutex<[Int32: Child]>([:])
    private let counter = Atomic<Int>(0)
    /// Started with the first child: kills the children's groups if drillbook is killed outright.
    private let watchdog = Mutex<(started: Bool, watchdog: ProcessGroupWatchdog?)>((false, nil))

    /// - Parameters:
    ///   - directory: where the children's output files go (the run's temporary directory).
    ///   - outputLimit: how many bytes of output are read back per command.
    public init(directory: URL, outputLimit: Int = 64 * 1024) {
        self.directory = directory
        self.outputLimit = outputLimit
    }

    /// Every pid this launcher started (each also a process group id), in no particular order.
    public var startedPids: [Int32] { children.withLock { Array($0.keys) } }

    public func run(_ command: String, timeout: Double) async -> CommandResult {
        let index = counter.add(1, ordering: .relaxed).newValue
        let logPath = directory.appendingPathComponent("cmd-\(index).log").path
        let pid: Int32
        do {
            pid = try spawn(command, logPath: logPath)
        } catch {
            return CommandResult(exitStatus: nil, output: error.message)
        }
        children.withLock { $0[pid] = Child(command: command, logPath: logPath, exited: false) }
        let start = ContinuousClock.now
        let limit = Duration.milliseconds(Int(max(0.01, timeout) * 1000))
        var pause = 2
        // Bounded: ends at the exit or at the timeout.
        while true {
            if let status = reap(pid) {
                releaseIfEmpty(pid)
                let (text, truncated) = readOutput(logPath)
                return CommandResult(exitStatus: status, output: text, truncated: truncated)
            }
            if ContinuousClock.now - start > limit {
                kill(-pid, SIGKILL)
                _ = waitBlocking(pid)
                releaseIfEmpty(pid)
                let (text, truncated) = readOutput(logPath)
                return CommandResult(exitStatus: nil, output: text, timedOut: true, truncated: truncated)
            }
            try? await Task.sleep(for: .milliseconds(pause))
            pause = min(pause * 2, 20)
        }
    }

    public func start(_ command: String, name: String) throws(LaunchError) -> Int32 {
        let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        let index = counter.add(1, ordering: .relaxed).newValue
        let logPath = directory.appendingPathComponent("\(safeName)-\(index).log").path
        let pid = try spawn("exec " + command, logPath: logPath)
        children.withLock { $0[pid] = Child(command: command, logPath: logPath, exited: false) }
        return pid
    }

    public func send(signal: Int32, to pid: Int32, group: Bool) throws(LaunchError) {
        guard pid > 1 else { throw LaunchError("refusing to signal pid \(pid)") }
        if kill(group ? -pid : pid, signal) != 0 {
            throw LaunchError("could not send signal \(signal) to \(group ? "process group" : "process") \(pid): \(String(cString: strerror(errno)))")
        }
    }

    public func isRunning(_ pid: Int32) -> Bool {
        guard children.withLock({ $0[pid] }) != nil else { return kill(pid, 0) == 0 }
        if isExited(pid) { return false }
        return reap(pid) == nil
    }

    public func output(of pid: Int32) -> String {
        guard let path = children.withLock({ $0[pid]?.logPath }) else { return "" }
        return readOutput(path).0
    }

    public func terminateAll() async -> [Int32] {
        let pids = children.withLock { $0.filter { !$0.value.exited }.map(\.key) }.sorted()
        var killed: [Int32] = []
        for pid in pids {
            // The group may outlive its leader (a forked helper): kill the group whatever the leader's state.
            if kill(-pid, SIGKILL) == 0 { killed.append(pid) }
        }
        for pid in pids { _ = waitBlocking(pid) }
        // Groups whose leader had already exited may still hold members; kill those too.
        let all = children.withLock { Array($0.keys) }
        for pid in all { kill(-pid, SIGKILL) }
        // Wait (bounded, about two seconds) until no group has a living member.
        for _ in 0..<200 {
            if all.allSatisfy({ ProcessTable.livingMembers(ofGroup: $0).isEmpty }) { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        for pid in all { releaseIfEmpty(pid) }
        return killed
    }

    /// Stops watching for drillbook's own death, as its exit would: the watchdog kills the groups
    /// still on its list. For tests, which cannot SIGKILL themselves.
    func abandonForTesting() -> ProcessGroupWatchdog.Outcome {
        watchdog.withLock { $0.watchdog }?.close() ?? .unknown
    }

    deinit {
        watchdog.withLock { $0.watchdog }?.close()
    }

    // MARK: - Internals

    private func isExited(_ pid: Int32) -> Bool { children.withLock { $0[pid]?.exited ?? true } }

    /// Puts a new group on the watchdog's list, starting the watchdog with the first child.
    private func watch(_ group: Int32) {
        let current = watchdog.withLock { state in
            if !state.started { state = (true, ProcessGroupWatchdog.start()) }
            return state.watchdog
        }
        current?.watch(group)
    }

    /// Takes a group off the watchdog's list once no process is left in it (its id may be reused).
    private func releaseIfEmpty(_ group: Int32) {
        if kill(-group, 0) == -1 && errno == ESRCH { watchdog.withLock { $0.watchdog }?.release(group) }
    }

    /// Non-blocking wait: the exit status (or -signal) when the child has exited, else nil.
    private func reap(_ pid: Int32) -> Int? {
        if isExited(pid) && children.withLock({ $0[pid] }) != nil { return -1 }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid {
            children.withLock { $0[pid]?.exited = true }
            return Self.decode(status)
        }
        if result == -1 && errno == ECHILD {
            children.withLock { $0[pid]?.exited = true }
            return -1
        }
        return nil
    }

    /// Waits for a killed child, bounded to about two seconds.
    private func waitBlocking(_ pid: Int32) -> Int? {
        for _ in 0..<400 {
            if let status = reap(pid) { return status }
            usleep(5_000)
        }
        return nil
    }

    /// `WIFEXITED`/`WEXITSTATUS` by hand (the macros are not imported into Swift): exit code, or
    /// nil when a signal ended the process.
    private static func decode(_ status: Int32) -> Int? {
        let signal = status & 0x7f
        return signal == 0 ? Int((status >> 8) & 0xff) : nil
    }

    private func readOutput(_ path: String) -> (String, Bool) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return ("", false) }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: outputLimit + 1)) ?? Data()
        let truncated = data.count > outputLimit
        return (String(decoding: data.prefix(outputLimit), as: UTF8.self), truncated)
    }

    private func spawn(_ command: String, logPath: String) throws(LaunchError) -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group; default dispositions for the signals the executor itself ignores or
        // handles (ignored dispositions would otherwise be inherited across exec); empty mask.
        let flags = Int32(POSIX_SPAWN_SETPGROUP) | Int32(POSIX_SPAWN_SETSIGDEF) | Int32(POSIX_SPAWN_SETSIGMASK)
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: Int32 = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw LaunchError("could not start /bin/sh -c \(command): \(String(cString: strerror(result)))")
        }
        watch(pid)
        return pid
    }
}
