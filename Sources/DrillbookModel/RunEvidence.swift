/// A time series the executor watched during a run, kept in the record as evidence (`series` in
/// the run JSON): a probe's outcomes and latencies, or a Prometheus range query over the drill
/// window. The run page draws them with the fault, detection and recovery instants marked.
///
/// Bounded: at most `EvidenceSeries.pointLimit` points per series and `EvidenceSeries.seriesLimit`
/// series per run; a writer that has more thins them evenly and says so in `note`.
public struct EvidenceSeries: Sendable, Hashable, Codable {
    public static let pointLimit = 2_000
    public static let seriesLimit = 16

    /// What was watched, as the drill names it (a probe's or a query's name).
    public var name: String
    public var source: EvidenceSource
    /// The unit of each point's `value` (`s` for probe latencies; as the query says for Prometheus).
    public var unit: String
    /// The query, URL or command watched, as written in the drill (variables unresolved, so never a
    /// secret's value).
    public var query: String?
    /// Why points are missing or were thinned, when they were.
    public var note: String?
    @DefaultEmpty public var points: [EvidencePoint]

    public init(
        name: String, source: EvidenceSource, unit: String, query: String? = nil, note: String? = nil,
        points: [EvidencePoint] = []
    ) {
        self.name = name
        self.source = source
        self.unit = unit
        self.query = query
        self.note = note
        self.points = points
    }
}

/// Where a series came from.
public enum EvidenceSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// drillbook's own probe: `value` is the attempt's latency in seconds, `ok` whether it passed.
    case probe
    /// A Prometheus range query: `value` is the sample.
    case prometheus
}

/// One observation: `t` seconds after the run's `startedAt`.
public struct EvidencePoint: Sendable, Hashable, Codable {
    public var t: Double
    public var value: Double?
    public var ok: Bool?

    public init(t: Double, value: Double? = nil, ok: Bool? = nil) {
        self.t = t
        self.value = value
        self.ok = ok
    }
}
