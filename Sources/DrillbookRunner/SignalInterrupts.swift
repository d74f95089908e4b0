import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT and SIGTERM into a polite request to stop: the engine sees `pending`, aborts,
/// rolls back and writes the record. A second Ctrl-C is still caught (rollback must finish).
public final class SignalInterrupts: InterruptSource, Sendable {
    private let reason = Mutex<String?>(nil)
    /// Set once in `init`; Dispatch sources are thread-safe to cancel.
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []
    private let onSignal: @Sendable (String) -> Void

    /// Starts listening. `onSignal` is called once per signal received (to say that rollback runs).
    public init(onSignal: @escaping @Sendable (String) -> Void = { _ in }) {
        self.onSignal = onSignal
        var made: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.received(name) }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    private func received(_ name: String) {
        reason.withLock { if $0 == nil { $0 = "interrupted by \(name)" } }
        onSignal(name)
    }

    public var pending: String? { reason.withLock { $0 } }

    /// Stops listening and restores the default dispositions.
    public func stop() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
