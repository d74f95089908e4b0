import DrillbookContent
import DrillbookModel
import Foundation
import Testing

/// Malformed files, wrong types, missing keys and unknown enum values: each names the file, the
/// line and (for records) the JSON path, and says what was expected.
@Suite struct DecodingErrorTests {
    @Test func malformedJSONGivesLineAndColumn() throws {
        let scratch = try ScratchContent(["runs/malformed.json": "{\n  \"id\": \"x\",\n  \"drillId\" \"y\"\n}\n"])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == [#"content/runs/malformed.json:3:13: malformed JSON: expected ':' after the key "drillId", got '"'"#])
    }

    @Test func malformedJSONColumnsCountCharactersNotBytes() throws {
        let scratch = try ScratchContent(["runs/accents.json": "{\n  \"summary\": \"café – ok\" ,, \n}\n"])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == [#"content/runs/accents.json:2:27: malformed JSON: expected a key in double quotes, got ','"#])
    }

    @Test func truncatedJSONNamesTheEnd() throws {
        let scratch = try ScratchContent(["runs/cut.json": "{\n  \"id\": \"x\",\n  \"drillId\": \"y"])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == [#"content/runs/cut.json:3:16: malformed JSON: unterminated string: end of file before the closing '"'"#])
    }

    @Test func trailingCommaIsNamed() throws {
        let scratch = try ScratchContent(["incidents/comma.json": "{\n  \"id\": \"x\",\n}\n"])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == ["content/incidents/comma.json:3:1: malformed JSON: trailing comma before '}'"])
    }

    @Test func malformedYAMLGivesLineAndColumn() throws {
        let scratch = try ScratchContent(["drills/bad.yaml": "id: x\ntitle: [unclosed\ncategory: y\n"])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                "content/drills/bad.yaml:3:9: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2)"
            ])
    }

    @Test func malformedYAMLIndentation() throws {
        let scratch = try ScratchContent(["actions/AI-1.yaml": "updates:\n  - on: 2026-02-03\n   status: open\n"])
        defer { scratch.remove() }
        let issues = scratch.load().issues
        #expect(issues.count == 1)
        #expect(issues[0].file == "content/actions/AI-1.yaml")
        #expect(issues[0].location?.line == 3)
        #expect(issues[0].message.hasPrefix("malformed YAML: "))
    }

    @Test func unknownEnumValueInJSONListsAcceptedValues() throws {
        let scratch = try ScratchContent(["runs/2026/q1/x.json": runJSON(verdict: "ok")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/2026/q1/x.json:18: $.criteria[0].verdict: expected one of met, missed, not-measured, got "ok""#
            ])
        let issue = try #require(scratch.load().issues.first)
        let line18 = runJSON(verdict: "ok").split(separator: "\n", omittingEmptySubsequences: false)[17]
        // The column of the offending value.
        let valueColumn = line18.distance(from: line18.startIndex, to: line18.range(of: "\"ok\"")!.lowerBound) + 1
        #expect(issue.location == ContentLocation(line: 18, column: valueColumn, jsonPath: "$.criteria[0].verdict"))
        #expect(issue.severity == .error)
    }

    @Test func wrongTypeInJSON() throws {
        let scratch = try ScratchContent(["runs/type.json": runJSON(actual: "\"fast\"")])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == [#"content/runs/type.json:17: $.criteria[0].actual: expected a number, got "fast""#])
    }

    @Test func wrongContainerTypeInJSON() throws {
        let scratch = try ScratchContent(["runs/list.json": runJSON(extra: "\n  \"observations\": \"one\",")])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == [#"content/runs/list.json:9: $.observations: expected a list, got "one""#])
    }

    @Test func missingRequiredKeyInJSONNamesTheObjectLine() throws {
        let scratch = try ScratchContent([
            "runs/missing.json": "{\n  \"schemaVersion\": 1,\n  \"id\": \"m\",\n  \"drillId\": \"d\",\n  \"environment\": \"x\",\n  \"startedAt\": \"2026-01-01T10:00:00Z\",\n  \"endedAt\": \"2026-01-01T10:30:00Z\",\n  \"participants\": [\n    {\"name\": \"Asha\"}\n  ]\n}\n"
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/missing.json:1: $.outcome: missing required key "outcome" (expected one of passed, failed, aborted)"#,
                #"content/runs/missing.json:9: $.participants[0].role: missing required key "role" (expected a string)"#,
            ])
    }

    @Test func nullForARequiredValue() throws {
        let scratch = try ScratchContent(["runs/null.json": runJSON(extra: "\n  \"participants\": [null],")])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == ["content/runs/null.json:9: $.participants[0]: expected an object, got null"])
    }

    @Test func nonIntegerSchemaVersion() throws {
        let scratch = try ScratchContent(["runs/v.json": runJSON(schemaVersion: "1.5")])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == ["content/runs/v.json:2: $.schemaVersion: expected the integer 1, got 1.5"])
    }

    @Test func badTimeInJSON() throws {
        let scratch = try ScratchContent(["runs/time.json": runJSON(startedAt: "yesterday 3pm")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/time.json:6: $.startedAt: expected an ISO 8601 instant with an offset, like 2026-03-02T10:15:00+05:30, got "yesterday 3pm""#
            ])
    }

    @Test func timeWithoutOffsetIsRejected() throws {
        let scratch = try ScratchContent(["runs/time.json": runJSON(endedAt: "2026-02-04T10:30:00")])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/time.json:7: $.endedAt: expected an ISO 8601 instant with an offset, like 2026-03-02T10:15:00+05:30, got "2026-02-04T10:30:00""#
            ])
    }

    @Test func everyProblemOfAFileIsReported() throws {
        let scratch = try ScratchContent([
            "incidents/x.json": """
                {
                  "id": "I",
                  "severity": "P5",
                  "declaredAt": "2026-01-01 10:00",
                  "extra": {"a": 1}
                }
                """
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/incidents/x.json:1: $.description: missing required key "description" (expected a string)"#,
                #"content/incidents/x.json:1: $.type: missing required key "type" (expected a string)"#,
                #"content/incidents/x.json:3: $.severity: expected one of P1, P2, P3, P4, got "P5""#,
                #"content/incidents/x.json:4: $.declaredAt: expected an ISO 8601 instant with an offset, like 2026-03-02T10:15:00+05:30, got "2026-01-01 10:00""#,
                #"content/incidents/x.json:5: $.extra.a: expected a string, got 1"#,
            ])
    }

    @Test func unknownEnumValueInYAMLNamesTheKeyLine() throws {
        let yaml = minimalDrillYAML.replacingOccurrences(of: "infrastructure-resilience", with: "infra")
        let scratch = try ScratchContent(["drills/redis-sentinel-failover.yaml": yaml])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/drills/redis-sentinel-failover.yaml:3: $.category: expected one of infrastructure-resilience, data-provider-outage, load-and-performance, incident-response-practice, full-system-failure, multi-region-outage, security-incident, compliance-violation, got "infra""#
            ])
    }

    @Test func wrongTypeInYAMLNamesTheKeyLine() throws {
        let yaml = minimalDrillYAML.replacingOccurrences(of: "target: 30", with: "target: fast")
            .replacingOccurrences(of: "comparison: \"<=\"", with: "comparison: ≤")
        let scratch = try ScratchContent(["drills/redis-sentinel-failover.yaml": yaml])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/drills/redis-sentinel-failover.yaml:10: $.successCriteria[0].comparison: expected one of <, <=, >, >=, ==, !=, got "≤""#,
                #"content/drills/redis-sentinel-failover.yaml:11: $.successCriteria[0].target: expected a number, got "fast""#,
            ])
    }

    @Test func missingRequiredKeyInYAML() throws {
        let yaml = minimalDrillYAML.replacingOccurrences(of: "objective: Test Redis high availability and failover\n", with: "")
            .replacingOccurrences(of: "    text: New master elected within 30s\n", with: "")
        let scratch = try ScratchContent(["drills/redis-sentinel-failover.yaml": yaml])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/drills/redis-sentinel-failover.yaml:1: $.objective: missing required key "objective" (expected a string)"#,
                #"content/drills/redis-sentinel-failover.yaml:6: $.successCriteria[0].text: missing required key "text" (expected a string)"#,
            ])
    }

    @Test func wrongTypeInActionUpdates() throws {
        let scratch = try ScratchContent([
            "runs/r.json": runJSON(actionId: "AI-1"),
            "drills/redis-sentinel-failover.yaml": minimalDrillYAML,
            "actions/AI-1.yaml": "updates:\n  - on: 3 February\n    status: doing\n",
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/actions/AI-1.yaml:2: $.updates[0].on: expected a date as YYYY-MM-DD, got "3 February""#,
                #"content/actions/AI-1.yaml:3: $.updates[0].status: expected one of open, in-progress, blocked, done, cancelled, got "doing""#,
            ])
    }

    @Test func scheduleErrors() throws {
        let scratch = try ScratchContent([
            "schedule.yaml": "monthly:\n  - week: 5\n    category: infrastructure-resilience\n  - week: 5\n    category: load-and-performance\nquarterly: []\n"
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                "content/schedule.yaml:2: $.monthly[0].week: expected a week from 1 to 4, got 5",
                "content/schedule.yaml:4: $.monthly[1].week: expected a week from 1 to 4, got 5",
            ])
    }

    @Test func emptyYAMLFile() throws {
        let scratch = try ScratchContent(["drills/empty.yaml": "# nothing yet\n"])
        defer { scratch.remove() }
        #expect(scratch.descriptions() == ["content/drills/empty.yaml:1: the file is empty; expected a mapping of DrillDefinition keys"])
    }

    @Test func brokenFilesAreSkippedAndTheRestLoads() throws {
        let scratch = try ScratchContent(
            ["runs/2026/q1/broken.json": "{", "incidents/broken.log": "nonsense\n"], copyingValid: true)
        defer { scratch.remove() }
        let result = scratch.load()
        #expect(result.hasErrors)
        #expect(result.issues.map(\.file) == ["content/incidents/broken.log", "content/runs/2026/q1/broken.json"])
        #expect(result.history.runs.count == 3)
        #expect(result.history.incidents.count == 4)
        #expect(result.history.drills.count == 2)
    }

    @Test func filesOfTheWrongKindAreNamed() throws {
        let scratch = try ScratchContent(["runs/notes.md": "# notes\n", "drills/x.json": "{}"])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                "content/drills/x.json: warning: not loaded: drills/ holds one .yaml (or .yml) file per drill",
                "content/runs/notes.md: warning: not loaded: runs/ holds one .json file per run",
            ])
    }
}
