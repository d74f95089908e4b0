import DrillbookModel
import Synchronization

/// Which probe of the run a poll belongs to.
enum PollSlot: Hashable, Sendable {
    case abortIf(Int)
    case during(Int)
    case measure(Int)
}

/// One finished probe attempt and the instants it started and finished, on the run's monotonic clock.
struct FinishedPoll: Sendable {
    var attempt: ProbeAttempt
    var at: Double
    var started: Double
}

/// The probe attempts of the fault phase, each running in a task of its own, so that a slow probe
/// of one kind (a `during` check taking 0.9 s) never delays the polls of another (a measurement
/// polled every 0.25 s): every attempt finishes on its own and notes the instant it did.
///
/// One attempt per slot runs at a time. The owner (one task, as the rest of the run) starts
/// attempts, collects the finished ones and waits for the next to finish; nothing else is shared.
final class ProbePolls {
    private let evaluator: ProbeEvaluator
    private let clock: any DrillClock
    private let mailbox = Mailbox()
    /// The attempt running in each slot, with the number that tells its result from a cancelled one's.
    private var running: [PollSlot: (number: Int, task: Task<Void, Never>)] = [:]
    private var started = 0

    init(evaluator: ProbeEvaluator, clock: any DrillClock) {
        self.evaluator = evaluator
        self.clock = clock
    }

    func isRunning(_ slot: PollSlot) -> Bool { running[slot] != nil }
    var anyRunning: Bool { !running.isEmpty }

    /// Starts one attempt of `probe` (already substituted) in `slot`.
    func start(_ probe: Probe, in slot: PollSlot) {
        started += 1
        let number = started
        let evaluator = evaluator
        let clock = clock
        let mailbox = mailbox
        let task = Task {
            let started = clock.now()
            let attempt = await evaluator.attempt(probe)
            mailbox.deliver(Delivery(slot: slot, number: number, poll: FinishedPoll(attempt: attempt, at: clock.now(), started: started)))
        }
        running[slot] = (number, task)
    }

    /// The attempts that finished since the last call, in the order they finished.
    func collect() -> [(slot: PollSlot, poll: FinishedPoll)] {
        var finished: [(slot: PollSlot, poll: FinishedPoll)] = []
        for delivery in mailbox.take() where running[delivery.slot]?.number == delivery.number {
            running[delivery.slot] = nil
            finished.append((delivery.slot, delivery.poll))
        }
        return finished
    }

    /// Suspends until a running attempt finishes or `seconds` pass; with `seconds` nil, until an
    /// attempt finishes (each is bounded by its probe's timeout). Returns at once when an attempt
    /// finished and was not collected yet. While attempts run it also returns every
    /// `haltCheckSlice`, so the caller's `checkHalt()` sees an interrupt or the budget at once and
    /// `cancelAll()` kills a slow attempt's process group, instead of waiting for it to end.
    func wait(atMost seconds: Double?) async {
        let mailbox = mailbox
        let clock = clock
        guard anyRunning else {
            if let seconds, seconds > 0 { await clock.sleep(seconds: seconds) }
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await mailbox.wait() }
            if let seconds { group.addTask { await clock.sleep(seconds: seconds) } }
            group.addTask { try? await Task.sleep(for: Self.haltCheckSlice) }
            await group.next()
            group.cancelAll()
        }
    }

    /// How long a wait lasts at most while attempts run (real time: an interrupt is real).
    static let haltCheckSlice: Duration = .milliseconds(50)

    /// Cancels every running attempt; their results are dropped.
    func cancelAll() {
        for entry in running.values { entry.task.cancel() }
        running = [:]
        _ = mailbox.take()
    }

    private struct Delivery: Sendable {
        var slot: PollSlot
        var number: Int
        var poll: FinishedPoll
    }

    /// Where attempts leave their results, and the one waiter to wake when one arrives.
    private final class Mailbox: Sendable {
        private struct State {
            var delivered: [Delivery] = []
            var waiter: CheckedContinuation<Void, Never>?
        }

        private let state = Mutex(State())

        func deliver(_ delivery: Delivery) {
            let waiter = state.withLock { state in
                state.delivered.append(delivery)
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }

        func take() -> [Delivery] {
            state.withLock { state in
                defer { state.delivered = [] }
                return state.delivered
            }
        }

        /// Returns once something was delivered (at once if something is waiting) or the task is cancelled.
        func wait() async {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let now = state.withLock { state in
                        if !state.delivered.isEmpty || Task.isCancelled { return true }
                        state.waiter = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            } onCancel: {
                let waiter = state.withLock { state in
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
        }
    }
}
