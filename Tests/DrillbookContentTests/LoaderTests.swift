import DrillbookContent
import DrillbookModel
import Foundation
import Testing

@Suite struct LoaderTests {
    @Test func hostileTextLoadsUnchanged() {
        let result = ContentLoader(contentDirectory: fixtures.appendingPathComponent("hostile")).load()
        #expect(result.issues.map(\.description) == [])
        let history = result.history
        #expect(history.drills.count == 1)
        #expect(history.runs.count == 1)
        #expect(history.incidents.count == 2)
        #expect(history.actionUpdates.count == 1)
        #expect(history.fullRuns.first?.summary?.contains("<script>alert(\"x\")</script>") == true)
        #expect(history.drills.first?.objective.contains("onerror=alert(1)") == true)
        let text = history.incidents.first { $0.id == "INC-HOSTILE-2" }
        #expect(text?.actionItems.first?.owner == "<b onmouseover=alert(1)>Owner</b>")
        #expect(text?.rootCause?.contains("[click](javascript:alert(1))") == true)
        #expect(text?.extra["Reporter"]?.contains("</textarea>") == true)
    }

    @Test func loadRecordTellsKindsApart() throws {
        let loader = ContentLoader(contentDirectory: fixtures.appendingPathComponent("valid"))
        let valid = fixtures.appendingPathComponent("valid")
        func kind(_ path: String) throws -> String {
            switch try loader.loadRecord(at: valid.appendingPathComponent(path)).get() {
            case .drill: "drill"
            case .run: "run"
            case .incident: "incident"
            case .actionUpdates: "actionUpdates"
            case .schedule: "schedule"
            case .site: "site"
            }
        }
        #expect(try kind("drills/redis-sentinel-failover.yaml") == "drill")
        #expect(try kind("runs/2026/q2/2026-04-01-redis-sentinel-failover.json") == "run")
        #expect(try kind("incidents/INC-2026-003.json") == "incident")
        #expect(try kind("incidents/INC-2026-011.log") == "incident")
        #expect(try kind("actions/AI-2026-014.yaml") == "actionUpdates")
        #expect(try kind("schedule.yaml") == "schedule")
        guard case .actionUpdates(let updates) = try loader.loadRecord(at: valid.appendingPathComponent("actions/AI-2026-014.yaml")).get()
        else { return }
        #expect(updates.map(\.status) == [.inProgress, .inProgress, .done])
        #expect(updates.allSatisfy { $0.actionId == "AI-2026-014" })
    }

    @Test func loadRecordReportsProblemsWithThePathAsGiven() throws {
        let scratch = try ScratchContent(["runs/r.json": runJSON(verdict: "ok"), "notes.md": "x"])
        defer { scratch.remove() }
        let loader = ContentLoader(contentDirectory: scratch.directory)
        let file = URL(fileURLWithPath: "content/runs/r.json", relativeTo: scratch.parent)
        guard case .failure(let issues) = loader.loadRecord(at: file) else {
            Issue.record("expected a failure")
            return
        }
        #expect(issues.description == #"content/runs/r.json:18: $.criteria[0].verdict: expected one of met, missed, not-measured, got "ok""#)
        guard case .failure(let other) = loader.loadRecord(at: scratch.root.appendingPathComponent("notes.md")) else { return }
        #expect(other.issues.first?.message.hasPrefix("cannot tell what kind of record") == true)
        guard case .failure(let missing) = loader.loadRecord(at: scratch.root.appendingPathComponent("runs/none.json")) else { return }
        #expect(missing.issues.first?.message == "cannot read the file")
    }

    @Test func manyRunsLoadInParallelInAStableOrder() throws {
        var files = ["drills/redis-sentinel-failover.yaml": minimalDrillYAML]
        for index in 0..<400 {
            let day = 1 + index % 28
            let started = "2026-02-" + (day < 10 ? "0" : "") + String(day) + "T10:00:00Z"
            files["runs/2026/batch-\(index % 7)/run-\(index).json"] = runJSON(
                id: "run-\(index)", startedAt: started, endedAt: started.replacingOccurrences(of: "T10", with: "T11"),
                actionId: "AI-\(index)")
        }
        let scratch = try ScratchContent(files)
        defer { scratch.remove() }
        let first = scratch.load()
        let second = scratch.load()
        #expect(first.issues.isEmpty)
        #expect(first.history.runs.count == 400)
        #expect(first.history == second.history)
        let order = first.history.runs.map { ($0.startedAt.secondsSince1970, $0.id) }
        #expect(order.elementsEqual(order.sorted(by: <), by: ==))
        #expect(first.history.sourcePaths["run-9"] == "runs/2026/batch-2/run-9.json")
    }

    @Test func issueDescriptions() {
        #expect(ContentIssue.error("a.json", .jsonPath("$.x", line: 3), "bad").description == "a.json:3: $.x: bad")
        #expect(ContentIssue.error("a.json", .jsonPath("$.x"), "bad").description == "a.json: $.x: bad")
        #expect(ContentIssue.error("a.log", .line(4, column: 2), "bad").description == "a.log:4:2: bad")
        #expect(ContentIssue.warning("a.log", nil, "odd").description == "a.log: warning: odd")
        let issues = ContentIssues([.error("a", nil, "x"), .warning("b", .line(1), "y")])
        #expect(issues.description == "a: x\nb:1: warning: y")
    }
}

/// Our own corpus of broken inputs, run every build: every fixture cut short at many points and
/// with bytes swapped for troublesome ones. Nothing may crash, and every issue must name the file
/// and a line that exists in it.
@Test func truncatedAndMangledFixturesNeverCrash() throws {
    let valid = fixtures.appendingPathComponent("valid")
    let paths = [
        "runs/2026/q1/2026-02-04-redis-sentinel-failover.json", "incidents/INC-2026-003.json",
        "incidents/INC-2026-011.log", "incidents/INC-2026-014.txt", "drills/redis-sentinel-failover.yaml",
        "actions/AI-2026-014.yaml", "schedule.yaml",
    ]
    let scratch = try ScratchContent([:])
    defer { scratch.remove() }
    let loader = ContentLoader(contentDirectory: scratch.directory)
    let replacements: [[UInt8]] = [[0x22], [0x7B], [0x5D], [0x0A], [0x3A], [0xFF], [0xE2, 0x80], [0x2D, 0x20], [0x00]]
    var checked = 0
    for path in paths {
        let original = [UInt8](try Data(contentsOf: valid.appendingPathComponent(path)))
        let target = scratch.root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let step = max(1, original.count / 40)
        for cut in stride(from: 0, to: original.count, by: step) {
            for variant in 0..<(replacements.count + 1) {
                var bytes = Array(original[..<cut])
                if variant > 0 { bytes = original; bytes.replaceSubrange(cut..<min(cut + 1, bytes.count), with: replacements[variant - 1]) }
                try Data(bytes).write(to: target)
                let lineCount = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
                let (_, issues) = loader.inspectRecord(at: URL(fileURLWithPath: "content/" + path, relativeTo: scratch.parent))
                for issue in issues {
                    #expect(issue.file == "content/" + path)
                    if let line = issue.location?.line { #expect(line >= 1 && line <= max(1, lineCount), "\(issue)") }
                }
                checked += 1
            }
        }
    }
    #expect(checked > 1000)
}
