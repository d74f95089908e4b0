import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills the drill's process groups when drillbook itself dies without cleaning up: SIGKILL
/// (a CI job's timeout), an out-of-memory kill, a crash. Rollback and `terminateAll()` cover
/// every way a run ends that drillbook sees; this covers the ways it cannot see.
///
/// A small `/bin/sh` watchdog runs in its own process group and reads lines from one end of a
/// socket pair: `+PGID` when a group starts, `-PGID` once it is gone. drillbook holds the other
/// end, close-on-exec so no child inherits it. When drillbook exits in any way the kernel closes
/// that end, the watchdog reads end-of-file and sends SIGTERM, then a second later SIGKILL, to
/// every group still on its list. A normal run has released every group by then, so the
/// watchdog just exits. Started for a run (`removing:` its temporary directory), it then also
/// removes that directory, which drillbook created after starting it: SIGKILL at any moment
/// leaves neither a process nor a run folder behind.
final class ProcessGroupWatchdog: Sendable {
    /// The watchdog's pid.
    let pid: Int32
    /// Reaps the watchdog on a thread of its own whenever it exits.
    private let exit: ChildExit
    /// drillbook's end of the socket pair; -1 once closed.
    private let socket: Mutex<Int32>

    /// The watchdog's script. `kill -TERM -PGID` is dash's spelling for a process group.
    static let script = """
        trap '' INT HUP QUIT
        groups=' '
        while IFS= read -r line; do
          case $line in
            +*) groups="$groups${line#+} " ;;
            -*) kept=' '; for g in $groups; do [ "$g" = "${line#-}" ] || kept="$kept$g "; done; groups=$kept ;;
          esac
        done
        folder=$1
        set -- $groups
        if [ $# -eq 0 ]; then [ -z "$folder" ] || rm -rf -- "$folder"; exit 0; fi
        for g; do kill -TERM -$g 2>/dev/null; done
        sleep 1
        for g; do kill -KILL -$g 2>/dev/null; done
        [ -z "$folder" ] || rm -rf -- "$folder"
        exit 3
        """

    private init(pid: Int32, socket: Int32) {
        self.pid = pid
        self.exit = ChildExit(reaping: pid)
        self.socket = Mutex(socket)
    }

    /// Starts the watchdog; nil when it cannot be started (the run goes on without it).
    /// `folder`, when given, is removed once drillbook is gone (after its groups are killed).
    static func start(removing folder: String?) -> ProcessGroupWatchdog? {
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &ends) == 0 else {
            return nil
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETPGROUP) | Int32(POSIX_SPAWN_SETSIGMASK)))
        posix_spawnattr_setpgroup(&attributes, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The watchdog's end becomes its standard input (dup2 clears close-on-exec on the copy).
        posix_spawn_file_actions_adddup2(&actions, ends[1], 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        let arguments = ["/bin/sh", "-c", script, "drillbook-watchdog", folder ?? ""]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: Int32 = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        closeDescriptor(ends[1])
        guard result == 0 else {
            closeDescriptor(ends[0])
            return nil
        }
        return ProcessGroupWatchdog(pid: pid, socket: ends[0])
    }

    /// Puts the process group `group` on the watchdog's list.
    func watch(_ group: Int32) { send("+" + String(group) + "\n") }

    /// Takes `group` off the list: every member has exited, so its id may be reused.
    func release(_ group: Int32) { send("-" + String(group) + "\n") }

    /// What the watchdog did when drillbook's end closed.
    enum Outcome: Sendable, Equatable {
        /// Every group had been released: nothing to kill.
        case nothingLeft
        /// It signalled the groups still on its list.
        case killedGroups
        /// Already closed, or the watchdog did not exit in time or in an expected way.
        case unknown
    }

    /// Closes drillbook's end, as its exit would. Returns at once: the watchdog exits on its own
    /// (at once, or a second later when it had groups to kill) and its thread reaps it.
    func close() {
        let socket = self.socket.withLock { socket in
            defer { socket = -1 }
            return socket
        }
        if socket >= 0 { closeDescriptor(socket) }
    }

    /// What the watchdog did, once it exited after `close()`; `.unknown` when it did not exit
    /// within `timeout` (it takes one second to escalate when groups are left) or not as expected.
    func outcome(within timeout: Duration, on clock: any Clock<Duration>) async -> Outcome {
        guard await exit.exited(within: timeout, on: clock) else { return .unknown }
        // Exit code 0: nothing left; 3: groups killed; anything else (or a signal): unknown.
        switch exit.exitCode {
        case 0: return .nothingLeft
        case 3: return .killedGroups
        default: return .unknown
        }
    }

    deinit { close() }

    private func send(_ line: String) {
        socket.withLock { socket in
            guard socket >= 0 else { return }
            var bytes = Array(line.utf8)
            // MSG_NOSIGNAL: a watchdog that died must not take drillbook down with SIGPIPE.
            sendWithoutSignal(socket, &bytes)
        }
    }
}

// At file scope, where `close` and `send` are the C functions rather than the methods above.
private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }

private func sendWithoutSignal(_ descriptor: Int32, _ bytes: inout [UInt8]) {
    _ = bytes.withUnsafeMutableBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
}
