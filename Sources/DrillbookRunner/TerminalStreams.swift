import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and standard error, written with `write(2)` so that a closed reader cannot end
/// the run: SIGPIPE is ignored while a drill runs (`SignalInterrupts`), and a write that fails with
/// EPIPE (the reader of a pipe went away: `drillbook run … | head -1`) or EIO (the terminal hung up)
/// marks the stream gone. Nothing more is written to a gone stream, and when standard output goes,
/// the handlers registered with `whenOutputCloses` are told once (the run aborts, rolls back and
/// writes its record). `FileHandle.write` would trap on such an error instead.
public enum TerminalStreams {
    private struct State {
        var outputGone = false
        var errorGone = false
        var handlers: [@Sendable () -> Void] = []
    }

    private static let state = Mutex(State())

    /// Makes a write to a closed pipe fail with EPIPE instead of killing drillbook with SIGPIPE
    /// (`drillbook run` calls it first, before it prints anything). Children get the default
    /// disposition back when they are spawned.
    public static func ignoreBrokenPipes() { signal(SIGPIPE, SIG_IGN) }

    /// Writes `text` to standard output, unless it is gone.
    public static func writeOutput(_ text: String) { write(text, to: STDOUT_FILENO) }

    /// Writes `text` to standard error, unless it is gone.
    public static func writeError(_ text: String) { write(text, to: STDERR_FILENO) }

    /// True once a write to standard output failed because nobody reads it any more.
    public static var outputIsGone: Bool { state.withLock { $0.outputGone } }

    /// Asks the kernel, without writing, whether the reader of standard output went away (a pipe
    /// whose reader closed, a terminal that hung up report POLLERR or POLLHUP); marks the stream
    /// gone when it did. How an interrupt check notices `| head -1` while a long command runs and
    /// nothing is printed.
    @discardableResult
    static func checkOutputReader() -> Bool {
        if outputIsGone { return true }
        var entry = pollfd(fd: STDOUT_FILENO, events: Int16(POLLOUT), revents: 0)
        guard poll(&entry, 1, 0) == 1, entry.revents & Int16(POLLERR | POLLHUP) != 0 else { return false }
        markGone(STDOUT_FILENO)
        return true
    }

    /// Calls `handler` once when standard output goes (at once when it already has).
    static func whenOutputCloses(_ handler: @escaping @Sendable () -> Void) {
        let gone = state.withLock { state in
            if !state.outputGone { state.handlers.append(handler) }
            return state.outputGone
        }
        if gone { handler() }
    }

    private static func write(_ text: String, to descriptor: Int32) {
        let gone = state.withLock { descriptor == STDOUT_FILENO ? $0.outputGone : $0.errorGone }
        guard !gone else { return }
        var bytes = Array(text.utf8)
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            // Bounded: each pass writes at least one byte or stops.
            while offset < buffer.count {
                let written = writeBytes(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    failure = written < 0 ? errno : EIO
                    return
                }
            }
        }
        guard failure == EPIPE || failure == EIO else { return }
        markGone(descriptor)
    }

    private static func markGone(_ descriptor: Int32) {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            if descriptor == STDERR_FILENO {
                state.errorGone = true
                return []
            }
            guard !state.outputGone else { return [] }
            state.outputGone = true
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }
    }
}

// At file scope, where `write` is the C function rather than the methods above.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
