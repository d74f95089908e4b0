import DrillbookContent
import Foundation
import Testing

/// `check` reports, located, what the build would otherwise choke on or shift.
@Suite struct HazardCheckTests {
    @Test func quadraticMarkdownIsAWarningAtItsPath() throws {
        let summary = String(repeating: "![[]()", count: 80_000)
        let scratch = try ScratchContent([
            "drills/redis-sentinel-failover.yaml": minimalDrillYAML,
            "runs/r.json": runJSON(extra: "\n  \"summary\": \"" + summary + "\","),
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/r.json:9: warning: $.summary: this Markdown has at least 5561 image openers ("![") in one paragraph with brackets closing after them, which cmark 0.30 parses in quadratic time; the site shows it as plain text. Give each "![" its "](url)", write "\![" for a literal one, or split the text into paragraphs"#
            ])
    }

    @Test func quadraticMarkdownInADrillListItem() throws {
        let deep = String(repeating: "> ", count: 5_000) + "x"
        let scratch = try ScratchContent(["drills/redis-sentinel-failover.yaml": minimalDrillYAML + "scenario:\n  - fine\n  - \"" + deep + "\"\n"])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                "content/drills/redis-sentinel-failover.yaml:15: warning: $.scenario[1]: this Markdown nests quotes or lists 5000 deep, which cmark 0.30 parses in quadratic time; the site shows it as plain text. Nest at most a few levels"
            ])
    }

    @Test func leapSecondsAreLocatedErrors() throws {
        let scratch = try ScratchContent([
            "drills/redis-sentinel-failover.yaml": minimalDrillYAML,
            "runs/r.json": runJSON(startedAt: "2026-12-31T23:30:00Z", endedAt: "2026-12-31T23:59:60Z"),
        ])
        defer { scratch.remove() }
        #expect(
            scratch.descriptions() == [
                #"content/runs/r.json:7: $.endedAt: leap seconds are not supported: 23:59:60 in "2026-12-31T23:59:60Z"; drillbook counts 86,400 seconds a day, so write the second before (:59) or the next day's 00:00:00"#
            ])
    }

    @Test func leapSecondsInIncidentLogs() throws {
        let log = """
            INCIDENT DECLARED
            ================

            Incident ID: INC-2026-099
            Severity: P2
            Type: Redis failover
            Time: 2026-12-31 23:59:60 UTC

            Description:
            A leap second.

            """
        let scratch = try ScratchContent(["incidents/INC-2026-099.log": log])
        defer { scratch.remove() }
        let leap = scratch.descriptions().filter { $0.contains("leap") }
        #expect(
            leap == [
                #"content/incidents/INC-2026-099.log:7: leap seconds are not supported: 23:59:60 in "2026-12-31 23:59:60 UTC"; drillbook counts 86,400 seconds a day, so write the second before (:59) or the next day's 00:00:00"#
            ])
    }
}
