import DrillbookContent
import DrillbookModel
import Foundation

/// The folder of the test fixtures.
let fixtures: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

/// A fresh content folder holding `files` (relative path → text), removed by the caller's `defer`.
///
/// The loader is given the folder as `content` relative to a scratch parent, as a user typing
/// `drillbook build content` would, so messages name `content/runs/x.json`.
struct ScratchContent {
    let parent: URL
    let root: URL
    /// The content folder as a relative URL (`content`), the way a user names it.
    let directory: URL

    init(_ files: [String: String], copyingValid: Bool = false) throws {
        parent = FileManager.default.temporaryDirectory
            .appendingPathComponent("drillbook-content-tests-" + UUID().uuidString, isDirectory: true)
        root = parent.appendingPathComponent("content")
        directory = URL(fileURLWithPath: "content", isDirectory: true, relativeTo: parent)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        if copyingValid {
            let valid = fixtures.appendingPathComponent("valid")
            for name in try FileManager.default.contentsOfDirectory(atPath: valid.path) {
                try FileManager.default.copyItem(at: valid.appendingPathComponent(name), to: root.appendingPathComponent(name))
            }
        }
        for (path, text) in files { try write(path, text) }
    }

    func load() -> ContentLoadResult { ContentLoader(contentDirectory: directory).load() }

    /// Every issue as printed.
    func descriptions() -> [String] { load().issues.map(\.description) }

    func write(_ relative: String, _ text: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func remove() { try? FileManager.default.removeItem(at: parent) }
}

/// A minimal valid drill in YAML.
let minimalDrillYAML = """
    id: redis-sentinel-failover
    title: Redis Sentinel Failover
    category: infrastructure-resilience
    objective: Test Redis high availability and failover
    allocatedDuration: 30m
    successCriteria:
      - id: new-master-elected
        text: New master elected within 30s
        metric: failover_seconds
        comparison: "<="
        target: 30
        unit: s

    """

/// A valid run of the minimal drill, with lines numbered as the tests expect.
func runJSON(
    id: String = "r1", drillId: String = "redis-sentinel-failover", schemaVersion: String = "1",
    startedAt: String = "2026-02-04T10:00:00+05:30", endedAt: String = "2026-02-04T10:30:00+05:30",
    outcome: String = "failed", verdict: String = "missed", actual: String = "41", owner: String = "Dev Kumar",
    criterionId: String = "new-master-elected", actionId: String = "AI-1", extra: String = ""
) -> String {
    """
    {
      "schemaVersion": \(schemaVersion),
      "id": "\(id)",
      "drillId": "\(drillId)",
      "environment": "staging",
      "startedAt": "\(startedAt)",
      "endedAt": "\(endedAt)",
      "outcome": "\(outcome)",\(extra)
      "criteria": [
        {
          "criterionId": "\(criterionId)",
          "text": "New master elected within 30s",
          "metric": "failover_seconds",
          "comparison": "<=",
          "target": 30,
          "unit": "s",
          "actual": \(actual),
          "verdict": "\(verdict)"
        }
      ],
      "actionItems": [
        {"id": "\(actionId)", "title": "Move sentinels", "owner": "\(owner)", "status": "open", "priority": "short-term"}
      ]
    }

    """
}
