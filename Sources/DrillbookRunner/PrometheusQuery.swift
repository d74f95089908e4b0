import DrillbookModel
import Foundation

/// Prometheus' HTTP API as the executor uses it: an instant query compared with a threshold (a
/// probe) and a range query recorded as an evidence series. Every request is a plain GET through
/// the run's `NetworkClient`, the PromQL percent-encoded as a query parameter.
enum PrometheusQuery {
    /// `BASE/api/v1/query?query=…`.
    static func instantURL(base: String, query: String) -> String {
        trimmed(base) + "/api/v1/query?query=" + encoded(query)
    }

    /// `BASE/api/v1/query_range?query=…&start=…&end=…&step=…` (instants in Unix seconds).
    static func rangeURL(base: String, query: String, start: Double, end: Double, step: Double) -> String {
        trimmed(base) + "/api/v1/query_range?query=" + encoded(query) + "&start=" + fixed(start) + "&end=" + fixed(end)
            + "&step=" + fixed(step)
    }

    /// A query parameter's value with everything but the unreserved characters of RFC 3986
    /// percent-encoded (`+`, `&`, `=`, `{`, `"`, spaces and non-ASCII included).
    static func encoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.append(Character(Unicode.Scalar(byte)))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// One attempt of a Prometheus probe: the query's single value compared with the threshold.
    static func attempt(_ probe: Probe, base: String, network: any NetworkClient, timeout: Double) async -> ProbeAttempt {
        let query = probe.query ?? ""
        guard let comparison = probe.compare, let threshold = probe.threshold else {
            return ProbeAttempt(holds: false, detail: "Prometheus probe \"\(probe.name)\" needs query, compare and threshold")
        }
        let wanted = "\(comparison.symbol) \(MetricFormat.number(threshold))"
        switch await network.request(method: "GET", url: instantURL(base: base, query: query), timeout: timeout) {
        case .failure(let error):
            return ProbeAttempt(holds: false, detail: "Prometheus query failed: " + error.message)
        case .success(let response):
            switch instantValue(status: response.status, body: response.body) {
            case .failure(let reason):
                return ProbeAttempt(holds: false, detail: reason.text + " (expected a value \(wanted))", output: response.body)
            case .success(let value):
                let seen = "query gave " + MetricFormat.number(value)
                guard comparison.holds(actual: value, target: threshold) else {
                    return ProbeAttempt(holds: false, detail: seen + " (expected \(wanted))", output: MetricFormat.number(value))
                }
                return ProbeAttempt(holds: true, detail: seen, output: MetricFormat.number(value))
            }
        }
    }

    /// The one number an instant query answered, or why there is none, in words: an error
    /// Prometheus reported, an empty result, several series, NaN or a value that is not a number.
    static func instantValue(status: Int, body: String) -> Result<Double, ReasonText> {
        let answer: Answer
        switch decode(status: status, body: body) {
        case .failure(let reason): return .failure(reason)
        case .success(let decoded): answer = decoded
        }
        let text: String
        switch answer.resultType {
        case "scalar", "string":
            guard let pair = answer.result as? [Any], pair.count == 2, let value = pair[1] as? String else {
                return .failure(ReasonText("Prometheus answered a \(answer.resultType) without a value"))
            }
            text = value
        case "vector":
            guard let samples = answer.result as? [[String: Any]] else { return .failure(ReasonText("Prometheus answered an unreadable vector")) }
            guard let first = samples.first else { return .failure(ReasonText("query returned no series (empty result)")) }
            guard samples.count == 1 else { return .failure(ReasonText("query returned \(samples.count) series; expected one (aggregate it)")) }
            guard let pair = first["value"] as? [Any], pair.count == 2, let value = pair[1] as? String else {
                return .failure(ReasonText("Prometheus answered a sample without a value"))
            }
            text = value
        default:
            return .failure(ReasonText("query returned a \(answer.resultType); expected an instant vector or scalar"))
        }
        guard let value = Double(text) ?? specialValue(text) else { return .failure(ReasonText("query gave \"\(text)\", not a number")) }
        guard !value.isNaN else { return .failure(ReasonText("query gave NaN")) }
        return .success(value)
    }

    /// The first series of a range query's answer as points `t` seconds after `runStart` (Unix
    /// seconds), NaN samples kept without a value; or why there is none.
    static func rangePoints(status: Int, body: String, runStart: Double) -> Result<(points: [EvidencePoint], series: Int), ReasonText> {
        let answer: Answer
        switch decode(status: status, body: body) {
        case .failure(let reason): return .failure(reason)
        case .success(let decoded): answer = decoded
        }
        guard answer.resultType == "matrix", let series = answer.result as? [[String: Any]] else {
            return .failure(ReasonText("range query returned a \(answer.resultType); expected a matrix"))
        }
        guard let first = series.first, let values = first["values"] as? [[Any]] else {
            return .failure(ReasonText("range query returned no series (empty result)"))
        }
        var points: [EvidencePoint] = []
        for pair in values where pair.count == 2 {
            guard let time = (pair[0] as? NSNumber)?.doubleValue, let text = pair[1] as? String else { continue }
            let value = Double(text) ?? specialValue(text)
            let t = ((time - runStart) * 1000).rounded() / 1000
            points.append(EvidencePoint(t: t, value: value.flatMap { $0.isFinite ? $0 : nil }))
        }
        return .success((points, series.count))
    }

    /// A range query of `rangeQuery` over the run (from `runStart` to `end`, Unix seconds) as an
    /// evidence series; a failure is a series without points whose note says why.
    static func series(
        _ rangeQuery: RangeQuery, resolvedBase: String, resolvedQuery: String, runStart: Double, end: Double,
        network: any NetworkClient
    ) async -> EvidenceSeries {
        let step = max(0.001, rangeQuery.step ?? 1)
        // Prometheus serves at most 11 000 points a series; ask for no more than the record keeps.
        let span = max(0, end - runStart)
        let wide = max(step, span / Double(EvidenceSeries.pointLimit - 1))
        var series = EvidenceSeries(name: rangeQuery.name, source: .prometheus, unit: rangeQuery.unit ?? "", query: rangeQuery.query)
        if wide > step { series.note = "step widened from \(MetricFormat.number(step)) s to \(MetricFormat.number(wide)) s to keep at most \(EvidenceSeries.pointLimit) points" }
        let url = rangeURL(base: resolvedBase, query: resolvedQuery, start: runStart.rounded(.down), end: end.rounded(.up), step: wide)
        switch await network.request(method: "GET", url: url, timeout: 10) {
        case .failure(let error):
            series.note = "range query failed: " + error.message
        case .success(let response):
            switch rangePoints(status: response.status, body: response.body, runStart: runStart) {
            case .failure(let reason):
                series.note = reason.text
            case .success(let result):
                series.points = Array(result.points.prefix(EvidenceSeries.pointLimit))
                if result.series > 1 { series.note = [series.note, "the first of \(result.series) series"].compactMap { $0 }.joined(separator: "; ") }
            }
        }
        return series
    }

    // MARK: - Decoding

    private struct Answer {
        var resultType: String
        var result: Any
    }

    private static func decode(status: Int, body: String) -> Result<Answer, ReasonText> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            return .failure(ReasonText("Prometheus answered HTTP \(status) without its JSON: " + ProbeEvaluator.firstLine(body)))
        }
        if (object["status"] as? String) != "success" {
            let kind = object["errorType"] as? String ?? "error"
            let message = object["error"] as? String ?? "no message"
            return .failure(ReasonText("Prometheus refused the query (HTTP \(status), \(kind)): \(ProbeEvaluator.firstLine(message))"))
        }
        guard let data = object["data"] as? [String: Any], let type = data["resultType"] as? String, let result = data["result"] else {
            return .failure(ReasonText("Prometheus answered without data"))
        }
        return .success(Answer(resultType: type, result: result))
    }

    private static func specialValue(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "+Inf", "Inf": .infinity
        case "-Inf": -.infinity
        default: nil
        }
    }

    private static func trimmed(_ base: String) -> String {
        var base = base
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    /// Unix seconds with millisecond precision, as Prometheus reads them.
    private static func fixed(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// Why a monitoring answer holds no usable value, in words (a failed attempt's detail).
struct ReasonText: Error, Sendable, Hashable {
    var text: String
    init(_ text: String) { self.text = text }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
