public import DrillbookModel
import Foundation
import Histogram
import Synchronization

/// What a load step saw: how many requests, how they were answered, and a latency histogram.
public struct LoadReport: Sendable, Equatable {
    /// Latencies in microseconds of requests answered with anything but 429 or 5xx (HdrHistogram,
    /// 3 significant digits: a percentile is within 0.1 % of the exact sample).
    var latencies: Histogram<UInt64>
    public var requests: Int
    /// Transport failures and 5xx answers.
    public var errors: Int
    /// 429 answers (the rate limiter said no).
    public var rateLimited: Int
    /// Wall seconds the step took.
    public var seconds: Double

    /// The largest latency the histogram tracks: one minute (longer ones are recorded as one minute).
    static let highestTrackableMicroseconds: UInt64 = 60_000_000

    static func emptyHistogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: highestTrackableMicroseconds, numberOfSignificantValueDigits: .three)
    }

    /// A report of `acceptedLatenciesMs` (milliseconds) and the counts.
    public init(acceptedLatenciesMs: [Double] = [], requests: Int = 0, errors: Int = 0, rateLimited: Int = 0, seconds: Double = 0) {
        latencies = Self.emptyHistogram()
        self.requests = requests
        self.errors = errors
        self.rateLimited = rateLimited
        self.seconds = seconds
        for latency in acceptedLatenciesMs { recordAccepted(seconds: latency / 1000) }
    }

    /// How many answers were accepted (and timed).
    public var accepted: Int { Int(latencies.totalCount) }

    /// Records one accepted answer's latency (rounded to the microsecond, at least 1 µs).
    mutating func recordAccepted(seconds: Double) {
        let micros = (max(0, seconds) * 1_000_000).rounded()
        latencies.record(micros >= Double(Self.highestTrackableMicroseconds) ? Self.highestTrackableMicroseconds : max(1, UInt64(micros)))
    }

    /// Adds another worker's counts and latencies to this report.
    mutating func add(_ other: LoadReport) {
        requests += other.requests
        errors += other.errors
        rateLimited += other.rateLimited
        latencies.add(other.latencies)
    }

    /// The accepted latency at percentile `p` (0...100) in milliseconds, from the histogram, or nil
    /// when nothing was accepted.
    public func percentile(_ p: Double) -> Double? {
        guard accepted > 0 else { return nil }
        return Double(latencies.valueAtPercentile(min(100, max(0, p)))) / 1000
    }

    /// The largest accepted latency in milliseconds (exact), or nil when nothing was accepted.
    public var maxLatencyMs: Double? {
        accepted > 0 ? Double(latencies.maxRecorded) / 1000 : nil
    }

    static func share(_ part: Int, of whole: Int) -> Double {
        whole == 0 ? 0 : (Double(part) / Double(whole) * 10_000).rounded() / 100
    }

    /// The metrics a load step records, named `<prefix>_…`.
    public func metrics(prefix: String, offeredRate: Double?) -> [Metric] {
        func ms(_ value: Double?) -> Double { ((value ?? .nan) * 100).rounded() / 100 }
        var result = [
            Metric(name: prefix + "_requests", value: Double(requests), unit: "count"),
            Metric(name: prefix + "_throughput_rps", value: seconds > 0 ? (Double(requests) / seconds * 10).rounded() / 10 : 0, unit: "rps"),
            Metric(name: prefix + "_error_rate", value: Self.share(errors, of: requests), unit: "%", note: "transport failures and 5xx answers"),
            Metric(name: prefix + "_rate_limited_share", value: Self.share(rateLimited, of: requests), unit: "%", note: "429 answers"),
        ]
        if accepted > 0 {
            result += [
                Metric(name: prefix + "_p50_ms", value: ms(percentile(50)), unit: "ms"),
                Metric(name: prefix + "_p95_ms", value: ms(percentile(95)), unit: "ms"),
                Metric(name: prefix + "_p99_ms", value: ms(percentile(99)), unit: "ms"),
                Metric(name: prefix + "_max_ms", value: ms(maxLatencyMs), unit: "ms"),
            ]
        }
        if let offeredRate { result.append(Metric(name: prefix + "_offered_rps", value: offeredRate, unit: "rps")) }
        return result
    }

    /// `1,200 requests in 10 s: p95 4 ms, 0 % errors, 12 % rate-limited`.
    public var summary: String {
        let p95 = percentile(95).map { MetricFormat.value($0, unit: "ms") } ?? "–"
        return "\(MetricFormat.number(Double(requests))) requests in \(MetricFormat.value((seconds * 10).rounded() / 10, unit: "s")): p95 \(p95), "
            + "\(MetricFormat.value(Self.share(errors, of: requests), unit: "%")) errors, "
            + "\(MetricFormat.value(Self.share(rateLimited, of: requests), unit: "%")) rate-limited"
    }
}

/// The load step's workers: `concurrency` tasks sharing the run's keep-alive connections (one
/// request, with its method, headers and body, sent again and again). With a `rate`,
/// requests are due on a fixed schedule (request `i` at `i / rate` seconds, whatever earlier answers
/// took: open-model pacing; a worker that falls behind sends at once); without one, each worker
/// sends again as soon as it has its answer. Bounded by `duration` (nothing is sent after it), by a
/// request count (`rate × duration`, or a million), and by cancellation (an abort stops at once).
enum LoadGenerator {
    static let maxRequests = 1_000_000

    static func run(_ network: HTTPNetworkClient, request: HTTPRequest, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
        let start = ContinuousClock.now
        let target: NetworkTarget
        switch network.checkedTarget(request.url) {
        case .failure:
            // Nothing is sent to a host the radius refuses or a malformed URL; the step reports one failed request.
            return LoadReport(requests: 1, errors: 1, seconds: 0)
        case .success(let parsed): target = parsed
        }
        let workers = max(1, min(concurrency, 256))
        let length = max(0, min(duration, 86_400))
        let end = start + .nanoseconds(Int64(length * 1e9))
        let perSecond = rate.flatMap { $0 > 0 ? min($0, 1_000_000) : nil }
        let limit = perSecond.map { min(maxRequests, Int(($0 * length).rounded(.up))) } ?? maxRequests
        let tickets = TicketCounter()
        var report = LoadReport()
        await withTaskGroup(of: LoadReport.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var local = LoadReport()
                    for _ in 0..<limit {
                        if Task.isCancelled { break }
                        let ticket = tickets.next()
                        guard ticket < limit else { break }
                        if let perSecond {
                            let due = start + .nanoseconds(Int64(Double(ticket) / perSecond * 1e9))
                            guard due < end else { break }
                            do { try await Task.sleep(until: due, clock: .continuous) } catch { break }
                        } else if ContinuousClock.now >= end {
                            break
                        }
                        let result = await network.fetch(request, target: target, keepBody: false)
                        if Task.isCancelled { break }
                        local.requests += 1
                        switch result {
                        case .failure: local.errors += 1
                        case .success(let response):
                            if response.status == 429 {
                                local.rateLimited += 1
                            } else if response.status >= 500 {
                                local.errors += 1
                            } else {
                                local.recordAccepted(seconds: response.latency)
                            }
                        }
                    }
                    return local
                }
            }
            for await finished in group { report.add(finished) }
        }
        report.seconds = TCPConnect.seconds(ContinuousClock.now - start)
        return report
    }

    /// Hands out request numbers to the workers, in order.
    final class TicketCounter: Sendable {
        private let value = Mutex(0)
        func next() -> Int {
            value.withLock { count in
                defer { count += 1 }
                return count
            }
        }
    }
}
