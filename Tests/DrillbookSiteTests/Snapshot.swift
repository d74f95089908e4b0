import Foundation
import Testing

/// Compares text with a golden file in `Snapshots/`, or re-records it when `RECORD_SNAPSHOTS=1`.
///
/// Golden files are written next to this source file, so a re-recorded file shows up in `git diff`,
/// and read from there too (the bundled copy, `.copy("Snapshots")`, is only refreshed by a rebuild);
/// the bundle is the fallback when the sources are not around.
func expectSnapshot(
    _ actual: String, named name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let sourceFolder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: sourceFolder, withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: sourceFolder.appendingPathComponent(name))
        return
    }
    let source = sourceFolder.appendingPathComponent(name)
    let url = FileManager.default.fileExists(atPath: source.path)
        ? source : Bundle.module.url(forResource: "Snapshots", withExtension: nil)?.appendingPathComponent(name) ?? source
    guard let data = FileManager.default.contents(atPath: url.path) else {
        Issue.record("no golden file Snapshots/\(name); run the tests with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if actual != expected {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }
        let line = firstDifference?.offset ?? min(actualLines.count, expectedLines.count)
        let got = line < actualLines.count ? String(actualLines[line]) : "<end>"
        let want = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
        Issue.record(
            "Snapshots/\(name) differs at line \(line + 1):\n  expected: \(want)\n  actual:   \(got)\nRe-record with RECORD_SNAPSHOTS=1 if the change is intended.",
            sourceLocation: sourceLocation)
    }
}
