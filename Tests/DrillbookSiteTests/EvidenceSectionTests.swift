import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

@Suite("Run page evidence")
struct EvidenceSectionTests {
    /// The fixture's first run with two probe series, a monitoring series and the marked events.
    static func history(name: (String) -> String = { $0 }) -> DrillHistory {
        var history = HistoryFixture.history()
        var run = history.fullRun(history.runs[0])
        let start = run.startedAt
        run.timeline += [
            TimelineEvent(at: start.adding(seconds: 301), event: "monitoring.detected", description: name("RedisMasterDown")),
            TimelineEvent(at: start.adding(seconds: 309), event: "recovered", description: "master.changed"),
        ]
        let writes = (0..<12).map { index -> EvidencePoint in
            let t = 296 + Double(index)
            return EvidencePoint(t: t, value: t >= 300 && t < 308 ? 1 : 0.004, ok: !(t >= 300 && t < 308))
        }
        run.series = [
            EvidenceSeries(name: name("writes through Sentinel"), source: .probe, unit: "s", query: "redis-cli SET", points: writes),
            EvidenceSeries(
                name: name("sentinel quorum reachable"), source: .probe, unit: "s", note: name("thinned evenly: 2 of 40 attempts kept (0 failed)"),
                points: [EvidencePoint(t: 290, value: 0.01, ok: true), EvidencePoint(t: 310, value: 0.012, ok: true)]),
            EvidenceSeries(
                name: name("redis_up"), source: .prometheus, unit: "", query: "redis_up",
                points: (0..<5).map { EvidencePoint(t: 290 + Double($0) * 5, value: $0 == 2 ? 0 : 1) }),
        ]
        run.importedFrom = name("Chaos Toolkit (chaoslib 1.44.0) journal journal.json")
        history.runDetails[run.id] = run.details
        return history
    }

    static func section(of page: String) throws -> String {
        let start = try #require(page.range(of: "<section aria-labelledby=\"evidence\""))
        let end = try #require(page.range(of: "</section>", range: start.upperBound..<page.endIndex))
        return String(page[start.lowerBound..<end.upperBound])
    }

    @Test func theSectionMatchesTheGoldenFile() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(Self.history())
        let page = try workspace.text("runs/2026-01-14-redis-sentinel-failover.html")
        let section = try Self.section(of: page)
        expectSnapshot(section, named: "run-evidence-section.html", bundle: .module)
        #expect(section.contains("Detected by monitoring: RedisMasterDown"))
        #expect(section.contains("8 of 14 observations failed, between 300"))
        #expect(section.contains("detected 1\u{00A0}s after the fault, recovered 9\u{00A0}s after the fault."))
        #expect(section.contains("Monitoring over the run (value)"))
        // Short tables are open, the table is the text alternative of each chart.
        #expect(section.components(separatedBy: "<details class=\"chart__data\" open>").count - 1 == 2)
        #expect(section.contains("<caption>Probe latency over the run</caption>"))
        // Drawn to fill its card: 1080 units for a wide card, 640 stretched for a tablet's, 320 for a phone's.
        for (suffix, width) in [("", "1080"), ("-medium", "640"), ("-narrow", "320")] {
            #expect(section.contains("aria-labelledby=\"chart-evidence-1" + suffix + "-title chart-evidence-1" + suffix + "-desc\""))
            #expect(section.components(separatedBy: "viewBox=\"0 0 " + width + " ").count - 1 == 2, "two charts drawn \(width) wide")
        }
        #expect(page.contains("<dt>Imported</dt><dd class=\"imported\">Chaos Toolkit (chaoslib 1.44.0) journal journal.json</dd>"))
    }

    /// Without a monitoring alert the mark is the drill's own first failed probe, and the takeaway
    /// does not call it a detection (an imported Chaos Toolkit run's after-state probe, say).
    @Test func aFailedProbeIsNotCalledADetection() async throws {
        var history = Self.history()
        let id = history.runs[0].id
        history.runDetails[id]?.timeline.removeAll { $0.event == "monitoring.detected" }
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(history)
        let section = try Self.section(of: try workspace.text("runs/2026-01-14-redis-sentinel-failover.html"))
        #expect(section.contains("First failed probe"))
        #expect(section.contains("first probe failed 0\u{00A0}s after the fault, recovered 9\u{00A0}s after the fault."))
        #expect(!section.contains("detected"))
    }

    @Test func aRunWithoutSeriesHasNoEvidenceSection() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        #expect(try !workspace.text("runs/2026-01-14-redis-sentinel-failover.html").contains("id=\"evidence\""))
    }

    @Test func untrustedSeriesNamesCannotInjectMarkup() async throws {
        let attack = "<script>alert(1)</script><svg onload=alert(2)>\"'&"
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(Self.history { attack + $0 })
        let page = try workspace.text("runs/2026-01-14-redis-sentinel-failover.html")
        let section = try Self.section(of: page)
        #expect(!section.contains("<script"))
        #expect(!section.contains("<svg onload"))
        #expect(section.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        var rest = section[...]
        while let open = rest.range(of: "<svg "), let close = rest.range(of: "</svg>", range: open.upperBound..<rest.endIndex) {
            let svg = String(rest[open.lowerBound..<close.upperBound])
            #expect(xmlError(svg) == nil, "\(xmlError(svg) ?? "")")
            rest = rest[close.upperBound...]
        }
    }
}
