import DrillbookContent
import DrillbookModel
import Foundation
import Testing

/// Records that decode but do not make sense, alone or together.
@Suite struct ValidationTests {
    let drill = ["drills/redis-sentinel-failover.yaml": minimalDrillYAML]

    func content(_ files: [String: String]) throws -> ScratchContent {
        try ScratchContent(drill.merging(files) { _, new in new })
    }

    @Test func runEndedBeforeItStarted() throws {
        let scratch = try content(["runs/r.json": runJSON(endedAt: "2026-02-04T09:00:00+05:30")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                "content/runs/r.json:7: $.endedAt: the run ended (2026-02-04T09:00:00+05:30) before it started (2026-02-04T10:00:00+05:30); expected endedAt at or after startedAt"
            ])
        #expect(scratch.load().history.runs.count == 1)
    }

    @Test func incidentResolvedBeforeDeclared() throws {
        let scratch = try content([
            "incidents/i.json": """
                {
                  "id": "INC-1",
                  "severity": "P2",
                  "type": "Outage",
                  "description": "x",
                  "declaredAt": "2026-03-02T10:15:00Z",
                  "resolvedAt": "2026-03-02T09:15:00Z"
                }
                """
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                "content/incidents/i.json:7: $.resolvedAt: resolved (2026-03-02T09:15:00Z) before it was declared (2026-03-02T10:15:00Z); expected the resolution time at or after the declaration"
            ])
    }

    @Test func actionItemWithEmptyOwner() throws {
        let scratch = try content(["runs/r.json": runJSON(owner: "  ")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/r.json:22: $.actionItems[0].owner: action item "AI-1" has no owner; every action item needs someone who owns it"#
            ])
    }

    @Test func actionUpdateWithEmptyOwner() throws {
        let scratch = try content([
            "runs/r.json": runJSON(),
            "actions/AI-1.yaml": "updates:\n  - on: 2026-02-03\n    status: open\n    owner: \"\"\n",
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                "content/actions/AI-1.yaml:4: $.updates[0].owner: owner is empty; give the new owner's name, or leave the key out when the owner did not change"
            ])
    }

    @Test func duplicateRunIdsNameBothFiles() throws {
        let scratch = try content([
            "runs/2026/a.json": runJSON(id: "same", actionId: "AI-1"),
            "runs/2026/b.json": runJSON(id: "same", actionId: "AI-2"),
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/2026/b.json:3: $.id: duplicate run id "same": also defined in content/runs/2026/a.json; ids must be unique (this file is skipped)"#
            ])
        #expect(scratch.load().history.runs.count == 1)
    }

    @Test func duplicateIncidentIdsAcrossForms() throws {
        let scratch = try content([
            "incidents/a.json": #"{"id": "INC-1", "severity": "P2", "type": "x", "description": "x", "declaredAt": "2026-03-02T10:15:00Z"}"#,
            "incidents/b.log": "INCIDENT DECLARED\n=================\nIncident ID: INC-1\nSeverity: P2\nType: x\nTime: 2026-03-02 10:15 UTC\n\nDescription:\nx\n",
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/incidents/b.log:3: duplicate incident id "INC-1": also defined in content/incidents/a.json; ids must be unique (this file is skipped)"#
            ])
    }

    @Test func duplicateDrillIds() throws {
        let scratch = try content(["drills/copy.yml": minimalDrillYAML])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/drills/redis-sentinel-failover.yaml:1: $.id: duplicate drill id "redis-sentinel-failover": also defined in content/drills/copy.yml; ids must be unique (this file is skipped)"#
            ])
    }

    @Test func duplicateActionItemIdsAcrossRunsAndIncidents() throws {
        let scratch = try content([
            "runs/r.json": runJSON(actionId: "AI-2026-031"),
            "incidents/i.log": """
                INCIDENT DECLARED
                =================
                Incident ID: INC-1
                Severity: P2
                Type: x
                Time: 2026-03-02 10:15 UTC
                Description:
                x

                INCIDENT RESOLVED
                =================
                Resolution Time: 2026-03-02 11:15 UTC
                Action Items:
                - AI-2026-031: Add an alert - Priya Raman - 2026-03-14

                """,
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/r.json:22: $.actionItems[0].id: duplicate action item id "AI-2026-031": also raised in content/incidents/i.log; action item ids must be unique across runs and incidents"#
            ])
    }

    @Test func runOfAnUnknownDrill() throws {
        let scratch = try content(["runs/r.json": runJSON(drillId: "redis-failover")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/r.json:4: $.drillId: no drill has the id "redis-failover"; expected one of the drills in drills/: redis-sentinel-failover"#
            ])
    }

    @Test func criterionTheDrillDoesNotDefine() throws {
        let scratch = try content(["runs/r.json": runJSON(criterionId: "master-elected")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/r.json:11: $.criteria[0].criterionId: drill "redis-sentinel-failover" defines no criterion "master-elected"; expected one of new-master-elected"#
            ])
    }

    @Test func unsupportedSchemaVersion() throws {
        let scratch = try content(["runs/r.json": runJSON(schemaVersion: "2")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                "content/runs/r.json:2: $.schemaVersion: unsupported schemaVersion 2; this drillbook reads version 1 (see docs/formats.md)"
            ])
    }

    @Test func updatesForAnUnknownActionItem() throws {
        let scratch = try content(["runs/r.json": runJSON(), "actions/AI-404.yaml": "updates:\n  - on: 2026-02-03\n    status: done\n"])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/actions/AI-404.yaml: no run or incident raises an action item "AI-404"; the file name must be the id of an action item (e.g. AI-2026-014.yaml)"#
            ])
    }

    @Test func duplicateCriterionIdsInADrill() throws {
        let yaml = minimalDrillYAML + "  - id: new-master-elected\n    text: again\n"
        let scratch = try ScratchContent(["drills/redis-sentinel-failover.yaml": yaml])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/drills/redis-sentinel-failover.yaml:13: $.successCriteria[1].id: criterion id "new-master-elected" is used twice (also $.successCriteria[0].id); ids must be unique within a drill"#
            ])
    }

    // MARK: - Warnings

    @Test func unknownKeysAreWarnings() throws {
        let scratch = try content([
            "runs/r.json": runJSON(extra: "\n  \"sumary\": \"typo\","),
            "drills/other.yaml": minimalDrillYAML.replacingOccurrences(of: "id: redis-sentinel-failover", with: "id: other")
                .replacingOccurrences(of: "    unit: s\n", with: "    unit: s\n    treshold: 3\n"),
        ])
        defer { scratch.remove() }
        let result = scratch.load()
        #expect(!result.hasErrors)
        #expect(
            result.issues.map(\.description) == [
                #"content/drills/other.yaml:13: warning: $.successCriteria[0].treshold: unknown key "treshold" (a typo?); it is ignored; known keys here: id, text, metric, comparison, target, unit"#,
                #"content/runs/r.json:9: warning: $.sumary: unknown key "sumary" (a typo?); it is ignored; known keys here: schemaVersion, id, drillId, environment, realisation, startedAt, endedAt, participants, outcome, abortReason, approvedBy, runBy, summary, timeline, metrics, criteria, observations, lessons, actionItems, probes, outputs, series, importedFrom"#,
            ])
    }

    @Test func passedWithAMissedCriterion() throws {
        let scratch = try content(["runs/r.json": runJSON(outcome: "passed")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/r.json:8: warning: $.outcome: outcome is passed but criterion "new-master-elected" was missed ($.criteria[0].verdict); expected outcome failed"#
            ])
        #expect(!scratch.load().hasErrors)
    }

    @Test func verdictContradictingActualAndTarget() throws {
        let scratch = try content(["runs/r.json": runJSON(verdict: "met")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                "content/runs/r.json:18: warning: $.criteria[0].verdict: verdict is met but actual 41 <= target 30 does not hold; expected missed"
            ])
        let scratch2 = try content(["runs/r.json": runJSON(verdict: "missed", actual: "12")])
        defer { scratch2.remove() }
        #expect(
            scratch2.descriptions() == [
                "content/runs/r.json:18: warning: $.criteria[0].verdict: verdict is missed but actual 12 <= target 30 holds; expected met"
            ])
    }

    @Test func statedDurationDisagreeingWithTheTimes() throws {
        let scratch = try content([
            "incidents/i.log": """
                INCIDENT DECLARED
                =================
                Incident ID: INC-1
                Severity: P2
                Type: x
                Time: 2026-03-02 10:15 UTC
                Description:
                x

                INCIDENT RESOLVED
                =================
                Incident ID: INC-1
                Resolution Time: 2026-03-02 11:15 UTC
                Duration: 2h

                """,
            // Within 60 s: no warning.
            "incidents/j.log": """
                INCIDENT DECLARED
                =================
                Incident ID: INC-2
                Severity: P2
                Type: x
                Time: 2026-03-02 10:15 UTC
                Started: 2026-03-02 10:00 UTC
                Description:
                x
                INCIDENT RESOLVED
                =================
                Resolution Time: 2026-03-02 11:15 UTC
                Duration: 1h 15m 30s

                """,
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/incidents/i.log:14: warning: stated duration "2h" (2h 00m) differs from resolution time minus declaration time (1h 00m)"#
            ])
    }
}
