public import DrillbookModel
import Foundation

/// What a load step saw: every request's latency and status.
public struct LoadReport: Sendable, Hashable {
    /// Latencies in milliseconds of requests answered with 2xx/3xx.
    public var acceptedLatenciesMs: [Double]
    public var requests: Int
    /// Transport failures and 5xx answers.
    public var errors: Int
    /// 429 answers (the rate limiter said no).
    public var rateLimited: Int
    /// Wall seconds the step took.
    public var seconds: Double

    public init(acceptedLatenciesMs: [Double], requests: Int, errors: Int, rateLimited: Int, seconds: Double) {
        self.acceptedLatenciesMs = acceptedLatenciesMs
        self.requests = requests
        self.errors = errors
        self.rateLimited = rateLimited
        self.seconds = seconds
    }

    /// The nearest-rank percentile of accepted latencies (`p` in 0...100), or nil when none.
    public func percentile(_ p: Double) -> Double? {
        let sorted = acceptedLatenciesMs.sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
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
        if !acceptedLatenciesMs.isEmpty {
            result += [
                Metric(name: prefix + "_p50_ms", value: ms(percentile(50)), unit: "ms"),
                Metric(name: prefix + "_p95_ms", value: ms(percentile(95)), unit: "ms"),
                Metric(name: prefix + "_p99_ms", value: ms(percentile(99)), unit: "ms"),
                Metric(name: prefix + "_max_ms", value: ms(acceptedLatenciesMs.max()), unit: "ms"),
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

/// The load step's workers: OS threads doing blocking requests, each paced to its share of the
/// rate. Bounded by the duration (and a hard cap on requests per worker).
enum LoadGenerator {
    static func run(url: String, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
        let workers = max(1, min(concurrency, 256))
        var report = LoadReport(acceptedLatenciesMs: [], requests: 0, errors: 0, rateLimited: 0, seconds: 0)
        let start = ContinuousClock.now
        let length = Duration.milliseconds(Int(max(0, duration) * 1000))
        let perWorkerInterval = rate.map { Double(workers) / max(0.001, $0) }
        await withTaskGroup(of: LoadReport.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    await SocketNetworkClient.onThread {
                        var local = LoadReport(acceptedLatenciesMs: [], requests: 0, errors: 0, rateLimited: 0, seconds: 0)
                        // Stagger paced workers so their requests spread over each interval.
                        var next = perWorkerInterval.map { Double(worker) * $0 / Double(workers) } ?? 0
                        for _ in 0..<1_000_000 {
                            let now = SocketNetworkClient.seconds(ContinuousClock.now - start)
                            if now >= SocketNetworkClient.seconds(length) { break }
                            if let interval = perWorkerInterval {
                                if now < next { usleep(UInt32(min(1, next - now) * 1_000_000)); continue }
                                next += interval
                            }
                            local.requests += 1
                            switch SocketNetworkClient.requestBlocking(method: "GET", url: url, timeout: 5) {
                            case .failure: local.errors += 1
                            case .success(let response):
                                if response.status == 429 {
                                    local.rateLimited += 1
                                } else if response.status >= 500 {
                                    local.errors += 1
                                } else {
                                    local.acceptedLatenciesMs.append(response.latency * 1000)
                                }
                            }
                        }
                        return local
                    }
                }
            }
            for await finished in group {
                report.requests += finished.requests
                report.errors += finished.errors
                report.rateLimited += finished.rateLimited
                report.acceptedLatenciesMs += finished.acceptedLatenciesMs
            }
        }
        report.seconds = SocketNetworkClient.seconds(ContinuousClock.now - start)
        report.acceptedLatenciesMs.sort()
        return report
    }
}
