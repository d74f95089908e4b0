import DrillbookSite
import Foundation
import Testing

/// `SITE_PREVIEW_DIR=/tmp/preview swift test --filter previewBuild` writes the fixture site there,
/// to look at in a browser (or take headless screenshots of). Does nothing otherwise.
@Test(.enabled(if: ProcessInfo.processInfo.environment["SITE_PREVIEW_DIR"] != nil))
func previewBuild() async throws {
    let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["SITE_PREVIEW_DIR"]!)
    let builder = SiteBuilder(
        themeDirectory: SiteWorkspace.defaultTheme, outputDirectory: folder, asOf: HistoryFixture.asOf)
    let report = try await builder.build(HistoryFixture.history())
    for timing in report.timings {
        print("step \(timing.step): \(MetricFormatting.milliseconds(timing.seconds)) ms")
    }
}

enum MetricFormatting {
    static func milliseconds(_ seconds: Double) -> String { String(Int((seconds * 1000).rounded())) }
}
