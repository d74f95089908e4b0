import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns every way an operator or a terminal asks drillbook to stop into a polite request: SIGINT
/// (Ctrl-C), SIGTERM, SIGHUP (the terminal closed), SIGQUIT (Ctrl-\), and standard output closing
/// (`drillbook run … | head -1`: SIGPIPE is ignored, the failed write says so through
/// `TerminalStreams`). The engine sees `pending`, stops the running command or probe at once (its
/// process group is killed), rolls back when a fault was injected and writes an aborted record.
/// Further signals are still caught (rollback must finish).
public final class SignalInterrupts: InterruptSource, Sendable {
    /// The signals caught, with their names.
    static let caught: [(Int32, String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP"), (SIGQUIT, "SIGQUIT")]

    private let reason = Mutex<String?>(nil)
    /// Set once in `init`; Dispatch sources are thread-safe to cancel.
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []
    private let onSignal: @Sendable (String) -> Void

    /// Starts listening. `onSignal` is called once per signal received (to say that rollback runs);
    /// it is not called for a closed standard output (there is nobody to tell).
    public init(onSignal: @escaping @Sendable (String) -> Void = { _ in }) {
        self.onSignal = onSignal
        // A write to a closed pipe must fail with EPIPE instead of killing drillbook (children get
        // the default disposition back when they are spawned).
        TerminalStreams.ignoreBrokenPipes()
        var made: [any DispatchSourceSignal] = []
        for (number, name) in Self.caught {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.received(name) }
            source.resume()
            made.append(source)
        }
        sources = made
        TerminalStreams.whenOutputCloses { [weak self] in self?.latch("standard output was closed") }
    }

    private func received(_ name: String) {
        latch("interrupted by \(name)")
        onSignal(name)
    }

    private func latch(_ why: String) {
        reason.withLock { if $0 == nil { $0 = why } }
    }

    public var pending: String? {
        if let reason = reason.withLock({ $0 }) { return reason }
        // Latches "standard output was closed" through the handler registered in `init`.
        TerminalStreams.checkOutputReader()
        return reason.withLock { $0 }
    }

    /// Stops listening and restores the default dispositions. SIGPIPE stays ignored: the summary
    /// printed after the run must not kill drillbook when nobody reads it.
    public func stop() {
        for source in sources { source.cancel() }
        for (number, _) in Self.caught { signal(number, SIG_DFL) }
    }
}
