import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exit of one child process the launcher spawned itself, waited for on a thread of its own
/// (blocking in `waitpid`), never on a Swift concurrency thread: tasks await `exited()`, which
/// resumes them when the thread sees the exit (or when they are cancelled).
final class ChildExit: Sendable {
    private struct State {
        /// The raw `waitpid` status once the child exited (-1 when it could not be waited for).
        var status: Int32?
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<Int> = []
        var nextWaiter = 0
    }

    let pid: Int32
    private let state = Mutex(State())

    /// Starts the thread that reaps `pid`. Only one `ChildExit` may exist per child.
    init(reaping pid: Int32) {
        self.pid = pid
        let thread = Thread { [self] in
            var status: Int32 = 0
            var result = waitpid(pid, &status, 0)
            while result == -1 && errno == EINTR { result = waitpid(pid, &status, 0) }
            record(result == pid ? status : -1)
        }
        thread.name = "drillbook-reap-\(pid)"
        thread.stackSize = 128 * 1024
        thread.start()
    }

    /// True once the child has exited and been reaped.
    var hasExited: Bool { state.withLock { $0.status != nil } }

    /// The exit code, or nil while it runs or when a signal ended it.
    var exitCode: Int? { state.withLock { $0.status.flatMap(Self.exitCode) } }

    /// Returns when the child has exited, or at once when the calling task is cancelled.
    func exited() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state in
                    if state.status != nil || state.cancelled.contains(id) { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancelled.insert(id)
                return state.waiters.removeValue(forKey: id)
            }
            waiter?.resume()
        }
    }

    /// Waits for the exit at most `timeout` on `clock`; true when the child exited.
    func exited(within timeout: Duration, on clock: any Clock<Duration>) async -> Bool {
        if hasExited { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.exited()
                return self.hasExited
            }
            group.addTask {
                try? await clock.sleep(for: timeout, tolerance: nil)
                return self.hasExited
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first || hasExited
        }
    }

    private func record(_ status: Int32) {
        let waiters = state.withLock { state in
            state.status = status
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// `WIFEXITED`/`WEXITSTATUS` by hand (the macros are not imported into Swift): the exit code,
    /// or nil when a signal ended the process (or it could not be waited for).
    static func exitCode(_ status: Int32) -> Int? {
        guard status >= 0 else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? Int((status >> 8) & 0xff) : nil
    }
}
