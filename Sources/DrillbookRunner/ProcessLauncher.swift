public import Foundation
import Subprocess
import Synchronization
import SystemPackage
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
    /// True when the command's process group was killed because the calling task was cancelled
    /// (an interrupt or the drill's time budget, `RunContext.stoppable`).
    public var stopped: Bool

    public init(exitStatus: Int?, output: String, timedOut: Bool = false, truncated: Bool = false, stopped: Bool = false) {
        self.exitStatus = exitStatus
        self.output = output
        self.timedOut = timedOut
        self.truncated = truncated
        self.stopped = stopped
    }

    /// `exit 0`, `exit 1: <first line>`, `timed out after 5 s`, `stopped`.
    public var summary: String {
        if stopped { return "stopped" }
        if timedOut { return "timed out" }
        let status = exitStatus.map { "exit \($0)" } ?? "killed by a signal"
        let firstLine = output.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return firstLine.isEmpty ? status : status + ": " + String(firstLine.prefix(120))
    }
}

/// Starts and stops the drill's child processes. Every child runs `/bin/sh -c COMMAND` in its own
/// process group, so a whole server tree can be signalled and killed at once.
public protocol ProcessLauncher: Sendable {
    /// Runs a command to completion, killing its process group at `timeout` seconds, or at once
    /// when the calling task is cancelled (the result is then `stopped`).
    func run(_ command: String, timeout: Double) async -> CommandResult
    /// Starts a background command and returns its pid, which is also its process group id. A
    /// simple command is `exec`ed by the shell, so the pid is the program's; a compound one
    /// (`a; b`, `a && b`, a pipeline) runs whole under the shell, whose pid it is.
    func start(_ command: String, name: String) throws(LaunchError) -> Int32
    /// Sends `signal` to the process group `pid` leads (or to the process, when `group` is false).
    func send(signal: Int32, to pid: Int32, group: Bool) throws(LaunchError)
    /// True while the background process `pid` has not exited.
    func isRunning(_ pid: Int32) -> Bool
    /// True while the process group `pid` leads has a living member (its leader or any child
    /// still in it); `isRunning(pid)` unless a launcher knows better (`ProcessTable.swift`).
    func groupHasLivingMembers(_ pid: Int32) -> Bool
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

/// The real launcher. One-shot commands run through swift-subprocess (its own monitor thread
/// waits for the exit; a timer task kills the command's process group at its timeout), their
/// output going to a file in the run's directory. Background commands are spawned here with
/// `posix_spawn`: drill servers outlive any one step (swift-subprocess scopes a child to a
/// closure) and kill/signal actions need their pids later, so this launcher keeps them in a table
/// and reaps each on a thread of its own (`ChildExit`). No wait blocks a Swift concurrency thread.
///
/// Every child runs in its own process group, with output to a file (no pipes to drain, so a
/// chatty server can never block on a full pipe, and a grandchild left holding its output cannot
/// keep a one-shot command from finishing).
///
/// No child runs before the watchdog knows its group (`ProcessGroupWatchdog`): each starts as a
/// shell that first reads one line from a pipe on its standard input (a handshake); drillbook
/// writes that line only after it has put the child's group on the watchdog's list. Killed in
/// between, drillbook leaves the child reading end-of-file, and the child exits without running
/// anything (status 125).
public final class PosixProcessLauncher: ProcessLauncher {
    private struct Child {
        var command: String
        var logPath: String
        /// Set for background children (one-shot commands are waited for by swift-subprocess).
        var exit: ChildExit?
        var exited: Bool
    }

    private let directory: URL
    private let outputLimit: Int
    private let clock: any Clock<Duration>
    private let children = Mutex<[Int32: Child]>([:])
    private let counter = Atomic<Int>(0)
    /// Started with the first child: kills the children's groups if drillbook is killed outright.
    private let watchdog = Mutex<(started: Bool, watchdog: ProcessGroupWatchdog?)>((false, nil))

    /// - Parameters:
    ///   - directory: where the children's output files go (the run's temporary directory).
    ///   - outputLimit: how many bytes of output are read back per command.
    ///   - clock: what command timeouts are measured on (tests pass a manual clock). The bounds on
    ///     reaping killed children stay on the real clock: they wait for the kernel, not the drill.
    ///   - removingDirectoryOnExit: start the watchdog at once and let it remove `directory` too
    ///     when drillbook dies without cleaning up (a run's own temporary directory; create it only
    ///     after this launcher exists, so no moment leaves it behind).
    public init(
        directory: URL, outputLimit: Int = 64 * 1024, clock: any Clock<Duration> = ContinuousClock(),
        removingDirectoryOnExit: Bool = false
    ) {
        self.directory = directory
        self.outputLimit = outputLimit
        self.clock = clock
        if removingDirectoryOnExit {
            watchdog.withLock { $0 = (true, ProcessGroupWatchdog.start(removing: directory.path)) }
        }
    }

    /// Every pid this launcher started (each also a process group id), in no particular order.
    public var startedPids: [Int32] { children.withLock { Array($0.keys) } }

    public func run(_ command: String, timeout: Double) async -> CommandResult {
        let index = counter.add(1, ordering: .relaxed).newValue
        let logPath = directory.appendingPathComponent("cmd-\(index).log").path
        let log: FileDescriptor
        do {
            log = try FileDescriptor.open(
                FilePath(logPath), .writeOnly, options: [.create, .truncate, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead])
        } catch {
            return CommandResult(exitStatus: nil, output: "could not start /bin/sh -c \(command): cannot write \(logPath): \(error)")
        }
        guard let gate = Gate() else {
            try? log.close()
            return CommandResult(exitStatus: nil, output: "could not start /bin/sh -c \(command): no socket pair: \(String(cString: strerror(errno)))")
        }
        let group = OneShotGroup()
        let limit = Duration.milliseconds(Int(max(0.01, timeout) * 1000))
        let timer = Task { [clock] in
            try? await clock.sleep(for: limit, tolerance: nil)
            if !Task.isCancelled { group.kill(stopping: false) }
        }
        defer { timer.cancel() }
        // Not cancelled with the caller: a cancelled caller kills the command's group (below), and
        // swift-subprocess still reaps it, so no zombie and no half-read output is left.
        let execution = Task { () throws -> TerminationStatus in
            var options = PlatformOptions()
            options.processGroupID = 0
            return try await Subprocess.run(
                .path("/bin/sh"), arguments: ["-c", Self.gated(command, exec: false)], platformOptions: options,
                input: .fileDescriptor(gate.childEnd, closeAfterSpawningProcess: true),
                output: .fileDescriptor(log, closeAfterSpawningProcess: true), error: .combinedWithOutput
            ) { execution in
                let pid = execution.processIdentifier.value
                self.children.withLock { $0[pid] = Child(command: command, logPath: logPath, exit: nil, exited: false) }
                self.watch(pid)
                group.started(pid)
                gate.open()
            }.terminationStatus
        }
        let status: TerminationStatus
        do {
            status = try await withTaskCancellationHandler {
                try await execution.value
            } onCancel: {
                group.kill(stopping: true)
            }
        } catch {
            gate.close()
            return CommandResult(exitStatus: nil, output: "could not start /bin/sh -c \(command): \(error)")
        }
        gate.close()
        let (pid, ended) = group.finish()
        if let pid {
            children.withLock { $0[pid]?.exited = true }
            releaseIfEmpty(pid)
        }
        let (text, truncated) = readOutput(logPath)
        switch ended {
        case .stopped: return CommandResult(exitStatus: nil, output: text, truncated: truncated, stopped: true)
        case .timedOut: return CommandResult(exitStatus: nil, output: text, timedOut: true, truncated: truncated)
        case .byItself:
            let exitStatus: Int? = if case .exited(let code) = status { Int(code) } else { nil }
            return CommandResult(exitStatus: exitStatus, output: text, truncated: truncated)
        }
    }

    public func start(_ command: String, name: String) throws(LaunchError) -> Int32 {
        let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        let index = counter.add(1, ordering: .relaxed).newValue
        let logPath = directory.appendingPathComponent("\(safeName)-\(index).log").path
        let pid = try spawn(Self.gated(command, exec: Self.isSimple(command)), logPath: logPath)
        children.withLock { $0[pid] = Child(command: command, logPath: logPath, exit: ChildExit(reaping: pid), exited: false) }
        return pid
    }

    public func send(signal: Int32, to pid: Int32, group: Bool) throws(LaunchError) {
        guard pid > 1 else { throw LaunchError("refusing to signal pid \(pid)") }
        if kill(group ? -pid : pid, signal) != 0 {
            throw LaunchError("could not send signal \(signal) to \(group ? "process group" : "process") \(pid): \(String(cString: strerror(errno)))")
        }
    }

    public func isRunning(_ pid: Int32) -> Bool {
        guard let child = children.withLock({ $0[pid] }) else { return kill(pid, 0) == 0 }
        if child.exited { return false }
        return !(child.exit?.hasExited ?? false)
    }

    public func output(of pid: Int32) -> String {
        guard let path = children.withLock({ $0[pid]?.logPath }) else { return "" }
        return readOutput(path).0
    }

    public func terminateAll() async -> [Int32] {
        let running = children.withLock { $0.filter { !$0.value.exited && !($0.value.exit?.hasExited ?? false) } }
        var killed: [Int32] = []
        for pid in running.keys.sorted() {
            // The group may outlive its leader (a forked helper): kill the group whatever the leader's state.
            if kill(-pid, SIGKILL) == 0 { killed.append(pid) }
        }
        for (pid, child) in running {
            // Bounded: a killed child is reaped within moments; two seconds covers a loaded machine.
            _ = await child.exit?.exited(within: .seconds(2), on: ContinuousClock())
            children.withLock { $0[pid]?.exited = true }
        }
        // Groups whose leader had already exited may still hold members; kill those too.
        let all = children.withLock { Array($0.keys) }
        for pid in all { kill(-pid, SIGKILL) }
        // Wait (bounded, about two seconds) until no group has a living member: /proc has no event for it.
        for _ in 0..<200 {
            if all.allSatisfy({ ProcessTable.livingMembers(ofGroup: $0).isEmpty }) { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        for pid in all { releaseIfEmpty(pid) }
        return killed.sorted()
    }

    /// Stops watching for drillbook's own death, as its exit would: the watchdog kills the groups
    /// still on its list. For tests, which cannot SIGKILL themselves.
    func abandonForTesting() async -> ProcessGroupWatchdog.Outcome {
        guard let watchdog = watchdog.withLock({ $0.watchdog }) else { return .unknown }
        watchdog.close()
        // Bounded generously: the watchdog takes a second to escalate, more on a loaded machine.
        return await watchdog.outcome(within: .seconds(10), on: ContinuousClock())
    }

    deinit {
        watchdog.withLock { $0.watchdog }?.close()
    }

    // MARK: - Internals

    /// Puts a new group on the watchdog's list, starting the watchdog with the first child.
    private func watch(_ group: Int32) {
        let current = watchdog.withLock { state in
            if !state.started { state = (true, ProcessGroupWatchdog.start(removing: nil)) }
            return state.watchdog
        }
        current?.watch(group)
    }

    /// Takes a group off the watchdog's list once no process is left in it (its id may be reused).
    private func releaseIfEmpty(_ group: Int32) {
        if kill(-group, 0) == -1 && errno == ESRCH { watchdog.withLock { $0.watchdog }?.release(group) }
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

        guard let gate = Gate() else {
            throw LaunchError("could not start /bin/sh -c \(command): no socket pair: \(String(cString: strerror(errno)))")
        }
        defer { gate.close() }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The gate's reading end becomes standard input (dup2 clears close-on-exec on the copy).
        posix_spawn_file_actions_adddup2(&actions, gate.childEnd.rawValue, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let arguments = ["/bin/sh", "-c", command]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: Int32 = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        gate.closeChildEnd()
        guard result == 0 else {
            throw LaunchError("could not start /bin/sh -c \(command): \(String(cString: strerror(result)))")
        }
        // Registered before it can run: the child waits for the gate, opened only now.
        watch(pid)
        gate.open()
        return pid
    }

    /// The script each child's shell runs: wait for the gate's line (end-of-file means drillbook
    /// died before registering the child: run nothing), give the command /dev/null as its input,
    /// then run the command, `exec`ed when it is simple.
    static func gated(_ command: String, exec: Bool) -> String {
        "IFS= read -r drillbook_gate && [ \"$drillbook_gate\" = go ] || exit 125\nunset drillbook_gate\nexec </dev/null\n"
            + (exec ? "exec " : "") + command
    }

    /// True when `command` is one simple command that `exec` can replace the shell with: no list,
    /// pipeline, subshell, group or background operator (`;`, `&`, `|`, parentheses, braces,
    /// newlines) outside quotes, no leading assignment, reserved word or `exec` of its own. When
    /// in doubt it says no: a compound command only keeps the shell as the group's leader.
    static func isSimple(_ command: String) -> Bool {
        var quote: Character?
        var escaped = false
        for character in command {
            if escaped {
                escaped = false
            } else if let open = quote {
                if character == open { quote = nil } else if character == "\\" && open == "\"" { escaped = true }
            } else if character == "\\" {
                escaped = true
            } else if character == "'" || character == "\"" {
                quote = character
            } else if ";&|(){}\n`".contains(character) {
                return false
            }
        }
        guard quote == nil, !escaped,
            let first = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
        else { return false }
        let reserved: Set<Substring> = ["if", "for", "while", "until", "case", "!", "[[", "exec", "function", "select", "time"]
        return !first.contains("=") && !reserved.contains(first)
    }
}

/// The socket a child's shell waits on before it runs anything: the child gets the reading end as
/// its standard input; drillbook writes `go` once the child is registered with the watchdog.
/// Both ends are close-on-exec, so no other child inherits them (an inherited writing end would
/// keep a child waiting after drillbook died).
private final class Gate: Sendable {
    let childEnd: FileDescriptor
    private let ends: Mutex<(child: Int32, parent: Int32)>

    init?() {
        var fds: [Int32] = [-1, -1]
        // A socket pair: created close-on-exec in one call (no other spawn can inherit it first).
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else { return nil }
        childEnd = FileDescriptor(rawValue: fds[0])
        ends = Mutex((fds[0], fds[1]))
    }

    /// Lets the child run, and closes drillbook's end.
    func open() {
        let parent = ends.withLock { ends in
            defer { ends.parent = -1 }
            return ends.parent
        }
        guard parent >= 0 else { return }
        var line = Array("go\n".utf8)
        _ = line.withUnsafeMutableBytes { gateWrite(parent, $0.baseAddress, $0.count) }
        gateClose(parent)
    }

    /// Closes the reading end in drillbook once the child has its copy (posix_spawn only).
    func closeChildEnd() {
        let child = ends.withLock { ends in
            defer { ends.child = -1 }
            return ends.child
        }
        if child >= 0 { gateClose(child) }
    }

    /// Closes drillbook's end without opening (the child, if any, exits without running).
    func close() {
        let parent = ends.withLock { ends in
            defer { ends.parent = -1 }
            return ends.parent
        }
        if parent >= 0 { gateClose(parent) }
    }
}

// At file scope, where `write` and `close` are the C functions rather than the methods above.
private func gateWrite(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer?, _ count: Int) -> Int { write(descriptor, bytes, count) }
private func gateClose(_ descriptor: Int32) { _ = close(descriptor) }

/// The process group of one one-shot command, between the timer or the cancelled caller that may
/// kill it and the end of the run that reaps it: the group is killed only until the command is
/// reaped (the moment between swift-subprocess's reap and `finish()` is the only window in which
/// its id could be reused, and a group with members left is never reused).
private final class OneShotGroup: Sendable {
    /// How the command ended.
    enum Ending { case byItself, timedOut, stopped }

    private struct State {
        var pid: Int32?
        /// Why it must die, once the timer fired or the caller was cancelled.
        var doomed: Ending?
        var finished = false
        var killed: Ending?
    }

    private let state = Mutex(State())

    /// The command was spawned; kills it at once when it was doomed before it started.
    func started(_ pid: Int32) {
        state.withLock { state in
            state.pid = pid
            if let doomed = state.doomed, killGroup(pid) { state.killed = doomed }
        }
    }

    /// Kills the group at its timeout (`stopping` false) or because the caller was cancelled.
    func kill(stopping: Bool) {
        state.withLock { state in
            guard !state.finished, state.doomed == nil else { return }
            let why: Ending = stopping ? .stopped : .timedOut
            state.doomed = why
            guard let pid = state.pid else { return }
            if killGroup(pid) { state.killed = why }
        }
    }

    /// Marks the command reaped; returns its pid and how it ended.
    func finish() -> (pid: Int32?, ending: Ending) {
        state.withLock { state in
            state.finished = true
            return (state.pid, state.killed ?? .byItself)
        }
    }
}

/// SIGKILL to the process group `pid` leads; true when it was sent.
private func killGroup(_ pid: Int32) -> Bool { kill(-pid, SIGKILL) == 0 }
