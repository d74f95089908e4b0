import DrillbookModel
import DrillbookSite
import Foundation
import Testing

/// `SITE_PREVIEW_DIR=/tmp/preview swift test --filter previewBuild` writes the fixture site there,
/// to look at in a browser (or take headless screenshots of). Does nothing otherwise.
/// `SITE_PREVIEW_COPIES=500` repeats the fixture's runs and incidents that many times, to time a
/// large build; `SITE_PREVIEW_SERIAL=1` renders pages one after the other; `SITE_PREVIEW_HOSTILE=1`
/// builds the hostile-input history instead, to see how an attack reads on the page.
@Test(.enabled(if: ProcessInfo.processInfo.environment["SITE_PREVIEW_DIR"] != nil))
func previewBuild() async throws {
    let environment = ProcessInfo.processInfo.environment
    let folder = URL(fileURLWithPath: environment["SITE_PREVIEW_DIR"]!)
    let copies = max(1, Int(environment["SITE_PREVIEW_COPIES"] ?? "1") ?? 1)
    let base = environment["SITE_PREVIEW_HOSTILE"] == "1" ? HostileInputTests.hostileHistory() : HistoryFixture.history()
    var runs: [DrillRun] = []
    var incidents: [Incident] = []
    for copy in 0..<copies {
        for var run in base.fullRuns {
            run.id += copy == 0 ? "" : "-" + String(copy)
            if copy > 0 { run.actionItems = run.actionItems.map { var item = $0; item.id += "-" + String(copy); return item } }
            runs.append(run)
        }
        for var incident in base.incidents {
            incident.id += copy == 0 ? "" : "-" + String(copy)
            incidents.append(incident)
        }
    }
    let history = DrillHistory(drills: base.drills, runs: runs, incidents: incidents, actionUpdates: base.actionUpdates)
    let builder = SiteBuilder(
        themeDirectory: SiteWorkspace.defaultTheme, outputDirectory: folder, asOf: HistoryFixture.asOf,
        parallel: environment["SITE_PREVIEW_SERIAL"] != "1")
    let report = try await builder.build(history)
    print("pages: \(report.pages.count)")
    for timing in report.timings {
        print("step \(timing.step): \(Int((timing.seconds * 1000).rounded())) ms")
    }
}
