import DrillbookModel
import Foundation
import Synchronization
import Testing
@testable import DrillbookRunner

@Suite("Evidence series from the probes")
struct EvidenceCaptureTests {
    func engine(_ clock: FakeClock, _ launcher: FakeLauncher) -> DrillEngine {
        DrillEngine(clock: clock, launcher: launcher, network: FakeNetwork(), interrupts: NoInterrupts(), observer: SilentObserver())
    }

    /// The sample drill with a `during` probe that fails on its 2nd to 4th polls.
    @Test func everyWatchedAttemptIsAPointWithItsLatencyAndVerdict() async throws {
        let clock = FakeClock()
        let polls = Atomic<Int>(0)
        let rules = DrillEngineTests.healthyRules() + [
            .init(match: "check-writes", answer: { _ in
                let poll = polls.add(1, ordering: .relaxed).newValue
                return (2...4).contains(poll) ? CommandResult(exitStatus: 1, output: "refused") : CommandResult(exitStatus: 0, output: "OK")
            }, takes: 0.2)
        ]
        let launcher = FakeLauncher(clock: clock, rules: rules)
        var drill = sampleDrill(abortIf: [Probe(name: "guard", command: "check-up")])
        drill.execution?.during = [Probe(name: "writes", command: "check-writes --port ${PORT_1}", interval: 0.5)]
        let run = await engine(clock, launcher).run(drill, variables: DrillEngineTests.variables, settings: RunSettings())
        #expect(run.outcome == .passed)
        // Setup readiness probes are not evidence; the others are, in the order they first finished.
        #expect(run.series.map(\.name) == ["healthy", "guard", "writes", "recovered"])
        #expect(run.series.allSatisfy { $0.source == .probe && $0.unit == "s" })
        let writes = try #require(run.series.first { $0.name == "writes" })
        // The query is the drill's text, not the substituted command.
        #expect(writes.query == "check-writes --port ${PORT_1}")
        #expect(writes.points.map(\.ok).prefix(5) == [true, false, false, false, true])
        #expect(writes.points.allSatisfy { ($0.value ?? 0) >= 0.199 && ($0.value ?? 0) <= 0.201 })
        #expect(writes.points.map(\.t) == writes.points.map(\.t).sorted())
        let start = run.startedAt
        let fault = try #require(run.timeline.first { $0.event == "fault.injected" })
        #expect(writes.points.allSatisfy { $0.t >= start.seconds(until: fault.at) - 0.001 })
        // A measurement not holding yet is no failure: its points carry no verdict until it holds.
        let recovered = try #require(run.series.first { $0.name == "recovered" })
        #expect(recovered.points.map(\.ok) == [nil, nil, nil, nil, nil, true])
        // The steady state was checked before and after: one series, two points.
        #expect(run.series.first { $0.name == "healthy" }?.points.count == 2)
        #expect(run.series.allSatisfy { $0.note == nil })
    }

    /// The negative control of the bound: more attempts than the limit are thinned evenly, the
    /// note says so, first and last kept, failures still counted.
    @Test func aSeriesPastItsLimitIsThinnedEvenlyWithANote() {
        var evidence = ProbeEvidence(pointLimit: 10)
        for index in 0..<95 {
            evidence.note(probe: "p", phase: .during, t: Double(index), latency: 0.01, ok: index % 10 != 0)
        }
        evidence.note(probe: "setup probe", phase: .setup, t: 0, latency: 0.01, ok: true)
        let series = evidence.series { _, _ in nil }
        #expect(series.count == 1)
        #expect(series[0].points.count == 10)
        #expect(series[0].points.first?.t == 0)
        #expect(series[0].note == "thinned evenly: 10 of 95 attempts kept (10 failed)")
        let gaps = zip(series[0].points.dropFirst(), series[0].points).map { $0.t - $1.t }
        #expect((gaps.max() ?? 0) - (gaps.min() ?? 0) <= 8)
        // Under the limit nothing is dropped.
        var few = ProbeEvidence(pointLimit: 10)
        for index in 0..<10 { few.note(probe: "p", phase: .abortIf, t: Double(index), latency: nil, ok: true) }
        #expect(few.series { _, _ in nil }[0].points.count == 10)
        #expect(few.series { _, _ in nil }[0].note == nil)
    }

    @Test func addedSeriesAreBoundedAndAtMostSixteenAreKept() {
        let recorder = RunRecorder(clock: FakeClock(), observer: SilentObserver(), settings: RunSettings())
        let points = (0..<5000).map { EvidencePoint(t: Double($0), value: 1) }
        for index in 0..<17 { recorder.record(series: EvidenceSeries(name: "q\(index)", source: .prometheus, unit: "", query: "up", points: points)) }
        let kept = recorder.evidenceSeries { _, _ in nil }
        #expect(kept.count == EvidenceSeries.seriesLimit)
        #expect(kept.allSatisfy { $0.points.count == EvidenceSeries.pointLimit })
        #expect(kept[0].note == "thinned evenly: 2000 of 5000 points kept")
        #expect(kept[0].points.last?.t == 4999)
        #expect(recorder.observations == ["Evidence series left out (at most 16 per run): q16."])
    }
}
