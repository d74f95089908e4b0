import DrillbookModel

/// The probe attempts of one run kept as evidence series (`EvidenceSeries`, `source: probe`): one
/// series per probe and role (steady state, `abortIf`, `during`, measurement), each point an
/// attempt's finishing instant, latency and outcome. A measurement's probe is polled until it
/// holds, so its attempts that did not hold yet carry no verdict (`ok` absent), not a failure.
/// Bounded while the run goes on: past twice
/// `EvidenceSeries.pointLimit` points a series keeps every other one, and at the end it is thinned
/// evenly to the limit, with a `note` that says so.
struct ProbeEvidence {
    /// Which list of the drill a probe came from; a series is one probe in one role.
    enum Role: String, Hashable, CaseIterable {
        case steadyState, abortIf, during, measure

        init?(_ phase: RunPhase) {
            switch phase {
            case .steadyStateBefore, .steadyStateAfter: self = .steadyState
            case .abortIf: self = .abortIf
            case .during: self = .during
            case .measure: self = .measure
            case .setup, .fault, .rollback, .teardown: return nil
            }
        }
    }

    private struct Key: Hashable {
        var role: Role
        var name: String
    }

    /// The points of one series so far: every `stride`-th attempt of `seen`.
    private struct Buffer {
        var points: [EvidencePoint] = []
        var stride = 1
        var seen = 0
        var failed = 0
    }

    private var order: [Key] = []
    private var buffers: [Key: Buffer] = [:]
    let pointLimit: Int

    init(pointLimit: Int = EvidenceSeries.pointLimit) { self.pointLimit = max(2, pointLimit) }

    /// Notes one attempt of `probe` in `phase` (ignored outside the watched phases): `t` and
    /// `latency` in seconds, `t` after the run's start.
    mutating func note(probe: String, phase: RunPhase, t: Double, latency: Double?, ok: Bool) {
        guard let role = Role(phase) else { return }
        let key = Key(role: role, name: probe)
        var buffer = buffers[key] ?? { order.append(key); return Buffer() }()
        if buffer.seen % buffer.stride == 0 {
            let verdict: Bool? = role == .measure && !ok ? nil : ok
            buffer.points.append(EvidencePoint(t: Self.rounded(t, 1000), value: latency.map { Self.rounded(max(0, $0), 10_000) }, ok: verdict))
        }
        buffer.seen += 1
        if !ok && role != .measure { buffer.failed += 1 }
        if buffer.points.count >= 2 * pointLimit {
            buffer.points = buffer.points.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            buffer.stride *= 2
        }
        buffers[key] = buffer
    }

    /// The series in the order their first attempts finished; `query` gives the probe's command,
    /// URL or address as the drill writes it (never substituted, so never a secret's value).
    func series(query: (Role, String) -> String?) -> [EvidenceSeries] {
        let names = Dictionary(grouping: order, by: \.name)
        return order.compactMap { key in
            guard let buffer = buffers[key] else { return nil }
            let points = Self.thinned(buffer.points, to: pointLimit)
            var note: String?
            if points.count < buffer.seen {
                note = "thinned evenly: \(points.count) of \(buffer.seen) attempts kept" + (key.role == .measure ? "" : " (\(buffer.failed) failed)")
            }
            let name = (names[key.name]?.count ?? 0) > 1 ? "\(key.name) (\(key.role.rawValue))" : key.name
            return EvidenceSeries(name: name, source: .probe, unit: "s", query: query(key.role, key.name), note: note, points: points)
        }
    }

    /// `points` cut to `limit` evenly spaced by index, keeping the first and the last.
    static func thinned(_ points: [EvidencePoint], to limit: Int) -> [EvidencePoint] {
        guard points.count > limit, limit >= 2 else { return points }
        let last = points.count - 1
        return (0..<limit).map { points[$0 * last / (limit - 1)] }
    }

    static func rounded(_ value: Double, _ scale: Double) -> Double { (value * scale).rounded() / scale }
}

extension EvidenceSeries {
    /// This series cut to `EvidenceSeries.pointLimit` points, thinned evenly, with a note when it was.
    func bounded(limit: Int = EvidenceSeries.pointLimit) -> EvidenceSeries {
        guard points.count > limit else { return self }
        var copy = self
        copy.points = ProbeEvidence.thinned(points, to: limit)
        let thinning = "thinned evenly: \(copy.points.count) of \(points.count) points kept"
        copy.note = note.map { $0 + "; " + thinning } ?? thinning
        return copy
    }
}
