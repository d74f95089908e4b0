public import Foundation

/// The time source of a run: a monotonic clock for measuring, one wall-clock reading to anchor it.
///
/// Every instant in a record is `wallStart + (monotonic - monotonicStart)`, so measurements never
/// jump when the system clock is adjusted. Tests pass a fake that advances only when asked to sleep.
public protocol DrillClock: Sendable {
    /// Monotonic seconds since an arbitrary origin.
    func now() -> Double
    /// The current wall-clock time (read once, at the start of a run).
    func wallNow() -> Date
    /// Suspends for `seconds` (or returns at once on a fake clock, after advancing it).
    func sleep(seconds: Double) async
}

/// The real clock: `ContinuousClock` for measuring, `Date()` for the anchor.
public struct SystemDrillClock: DrillClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public func wallNow() -> Date { Date() }

    public func sleep(seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(for: .milliseconds(Int((seconds * 1000).rounded(.up))))
    }
}
