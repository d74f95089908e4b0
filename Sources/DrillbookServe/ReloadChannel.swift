import Foundation

/// What the open pages are told: a generation number that goes up with every build that ended
/// (in success or failure), and the text of the last failure while the served site is the last
/// good one. Pages wait on it through the event stream (`/__drillbook/events`).
final class ReloadChannel: @unchecked Sendable {
    /// The state a page is served with and a waiter compares with.
    struct State: Sendable, Equatable {
        var generation: Int
        /// The located errors of the last build, as the terminal showed them; nil when it succeeded.
        var failure: String?
    }

    // Guarded by `condition` (waiters block on it, on their connection's thread).
    private let condition = NSCondition()
    private var current = State(generation: 1, failure: nil)

    var state: State {
        condition.lock()
        defer { condition.unlock() }
        return current
    }

    /// A build ended: `failure` is its error text, or nil when the new site is in place.
    func buildEnded(failure: String?) {
        condition.lock()
        current = State(generation: current.generation + 1, failure: failure)
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the generation is no longer `generation`, at most `timeout` seconds; returns
    /// the state then (the same generation when the time ran out).
    func wait(whileAt generation: Int, timeout: Double) -> State {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while current.generation == generation, condition.wait(until: deadline) {}
        return current
    }
}
