import DrillbookContent
import DrillbookModel
import Foundation
import Testing

/// `content/site.yaml`: every key optional, unknown keys warn, bad values are located errors.
@Suite("Site configuration")
struct SiteConfigurationTests {
    func load(_ yaml: String, name: String = "site.yaml") throws -> (SiteConfiguration, [String]) {
        let content = try ScratchContent([name: yaml])
        defer { content.remove() }
        let result = content.load()
        return (result.history.site, result.issues.map(\.description))
    }

    @Test func readsEveryKey() throws {
        let (site, issues) = try load(
            """
            organisation: BondX
            title: Drill history
            baseURL: https://drills.example.internal/
            timeZone: Europe/London
            trackerURL: https://tracker.example.internal/browse/{id}
            includeLocalRuns: true

            """)
        #expect(issues == [])
        #expect(site.organisation == "BondX")
        #expect(site.siteTitle == "Drill history")
        #expect(site.baseURL == "https://drills.example.internal/")
        #expect(site.timeZone == "Europe/London")
        #expect(site.trackerLink(forAction: "AI-2026-014") == "https://tracker.example.internal/browse/AI-2026-014")
        #expect(site.countsLocalRuns)
    }

    @Test func absentFileGivesDefaults() throws {
        let content = try ScratchContent([:])
        defer { content.remove() }
        let site = content.load().history.site
        #expect(site == SiteConfiguration())
        #expect(site.siteTitle == "Drill history")
        #expect(site.organisation == nil)
        #expect(!site.countsLocalRuns)
    }

    @Test func ymlIsAcceptedAndBothAreAnError() throws {
        let (site, _) = try load("organisation: BondX\n", name: "site.yml")
        #expect(site.organisation == "BondX")
        let content = try ScratchContent(["site.yaml": "title: A\n", "site.yml": "title: B\n"])
        defer { content.remove() }
        #expect(content.descriptions().contains("content/site.yml: both site.yaml and site.yml exist; keep one"))
    }

    @Test func unknownKeyWarns() throws {
        let (site, issues) = try load("organisation: BondX\norganization: Typo\n")
        #expect(site.organisation == "BondX")
        #expect(issues.count == 1)
        #expect(
            issues.first
                == "content/site.yaml:2: warning: $.organization: unknown key \"organization\" (a typo?); it is ignored; known keys here: organisation, title, baseURL, timeZone, trackerURL, includeLocalRuns")
    }

    @Test func badValuesAreLocatedErrors() throws {
        let (_, issues) = try load(
            """
            organisation: "   "
            title: "two\\nlines"
            baseURL: ftp://drills.example/
            timeZone: Mars/Olympus_Mons
            trackerURL: https://tracker.example/browse/

            """)
        #expect(
            issues == [
                "content/site.yaml:1: $.organisation: organisation is empty; give a name, or leave the key out",
                "content/site.yaml:2: $.title: expected one line of text without control characters",
                "content/site.yaml:3: $.baseURL: expected an absolute http:// or https:// address without spaces, query or fragment, like https://drills.example.com/",
                "content/site.yaml:4: $.timeZone: unknown time zone \"Mars/Olympus_Mons\"; expected an IANA name like Europe/London, Asia/Kolkata or UTC",
                "content/site.yaml:5: $.trackerURL: expected the pattern to contain {id}, where the action item id goes, like https://tracker.example/browse/{id}",
            ])
    }

    @Test func abbreviationsAndOffsetsAreNotTimeZoneNames() throws {
        for name in ["EST", "+05:30", "GMT+5", "utc", "Europe/../etc/passwd", ""] {
            let (_, issues) = try load("timeZone: \"\(name)\"\n")
            #expect(issues.count == 1 && issues[0].contains("$.timeZone: unknown time zone"), "\(name): \(issues)")
        }
        for name in ["UTC", "Asia/Kolkata", "America/New_York"] {
            let (_, issues) = try load("timeZone: \(name)\n")
            #expect(issues == [], "\(name)")
        }
    }

    @Test func hostileTrackerPatternsAreRejected() throws {
        for pattern in ["javascript:alert(1)//{id}", "https://x.example/{id}\" onmouseover=\"alert(1)", "//evil.example/{id}", "data:text/html,{id}"] {
            let (_, issues) = try load("trackerURL: '\(pattern)'\n")
            #expect(issues.count == 1 && issues[0].contains("$.trackerURL: expected"), "\(pattern): \(issues)")
        }
    }

    @Test func wrongTypeIsALocatedError() throws {
        let (_, issues) = try load("includeLocalRuns: sometimes\n")
        #expect(issues.count == 1)
        #expect(issues.first?.hasPrefix("content/site.yaml:1: $.includeLocalRuns: expected true or false") == true, "\(issues)")
    }

    @Test func actionTrackerMustBeAWebAddress() throws {
        let run = runJSON().replacingOccurrences(
            of: "\"priority\": \"short-term\"}", with: "\"priority\": \"short-term\", \"tracker\": \"javascript:alert(1)\"}")
        let content = try ScratchContent(["drills/redis-sentinel-failover.yaml": minimalDrillYAML, "runs/r1.json": run])
        defer { content.remove() }
        #expect(
            content.descriptions().contains(
                "content/runs/r1.json:22: $.actionItems[0].tracker: expected an http:// or https:// address without spaces, quotes or angle brackets, like https://tracker.example/browse/AI-2026-014"))
    }

    @Test func trackerIdIsPercentEncoded() {
        let site = SiteConfiguration(trackerURL: "https://t.example/browse/{id}?from={id}")
        #expect(site.trackerLink(forAction: "AI 1/../\"x") == "https://t.example/browse/AI%201%2F..%2F%22x?from=AI%201%2F..%2F%22x")
        #expect(SiteConfiguration().trackerLink(forAction: "AI-1") == nil)
    }
}
