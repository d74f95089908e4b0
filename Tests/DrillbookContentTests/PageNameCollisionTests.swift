import DrillbookContent
import Foundation
import Testing

/// `ContentLoader` finds ids of one kind that would be written to the same page, in one pass
/// over the records: these pin its messages and order when several pages are contested at once.
@Suite struct PageNameCollisionTests {
    /// Three runs, three action items and two drills that each share a page, in one folder: every
    /// later id is reported at its own file, naming the first (by file) of its page.
    @Test func severalCollisionsAcrossKinds() throws {
        let upper = minimalDrillYAML.replacingOccurrences(of: "id: redis-sentinel-failover", with: "id: Redis-Sentinel-Failover")
        let scratch = try ScratchContent([
            "drills/redis-sentinel-failover.yaml": minimalDrillYAML,
            "drills/upper.yaml": upper,
            "runs/c.json": runJSON(id: "run 1", actionId: "Ai.7"),
            "runs/a.json": runJSON(id: "Run 1", actionId: "AI/7"),
            "runs/b.json": runJSON(id: "run-1", actionId: "ai-7"),
            "runs/d.json": runJSON(id: "other", actionId: "AI-8"),
        ])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == [
            #"content/drills/upper.yaml:1: $.id: the drill ids "redis-sentinel-failover" (in content/drills/redis-sentinel-failover.yaml) and "Redis-Sentinel-Failover" would both be written to drills/redis-sentinel-failover.html; rename one"#,
            #"content/runs/b.json:3: $.id: the run ids "Run 1" (in content/runs/a.json) and "run-1" would both be written to runs/run-1.html; rename one"#,
            #"content/runs/b.json:22: $.actionItems[0].id: the action item ids "AI/7" (in content/runs/a.json) and "ai-7" would both be written to actions/ai-7.html; rename one"#,
            #"content/runs/c.json:3: $.id: the run ids "Run 1" (in content/runs/a.json) and "run 1" would both be written to runs/run-1.html; rename one"#,
            #"content/runs/c.json:22: $.actionItems[0].id: the action item ids "AI/7" (in content/runs/a.json) and "Ai.7" would both be written to actions/ai-7.html; rename one"#,
        ])
    }

    /// Negative control: a lone id, and the same id twice (a duplicate, reported as such), claim
    /// no page of another id, so no collision is reported.
    @Test func loneAndEqualIdsReportNoCollision() throws {
        let scratch = try ScratchContent([
            "drills/redis-sentinel-failover.yaml": minimalDrillYAML,
            "runs/a.json": runJSON(id: "Run 1", actionId: "AI/7"),
            "runs/b.json": runJSON(id: "Run 2", actionId: "AI/7"),
        ])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == [
            #"content/runs/b.json:22: $.actionItems[0].id: duplicate action item id "AI/7": also raised in content/runs/a.json; action item ids must be unique across runs and incidents"#,
        ])
    }
}
