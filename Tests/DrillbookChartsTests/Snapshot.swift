import Foundation
import Testing

/// Compares `actual` with `Snapshots/<name>` and, when `RECORD_SNAPSHOTS=1`, writes it there instead.
///
/// Golden files are read from the source folder beside this file (so a fresh recording is compared
/// at once) and, when the sources are not there, from the test bundle's `.copy("Snapshots")`
/// resource; recording always writes to the source folder.
func assertSnapshot(_ actual: String, named name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let sourceFile = folder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: sourceFile, options: .atomic)
        } catch {
            Issue.record("could not record snapshot \(name): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    let stem = (name as NSString).deletingPathExtension
    let ext = (name as NSString).pathExtension
    let bundled = Bundle.module.url(forResource: stem, withExtension: ext, subdirectory: "Snapshots")
    guard let data = (try? Data(contentsOf: sourceFile)) ?? (bundled.flatMap { try? Data(contentsOf: $0) }) else {
        Issue.record("no snapshot \(name); run with RECORD_SNAPSHOTS=1 to record it", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != actual {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let index = Array(zip(expectedLines, actualLines)).firstIndex { $0.0 != $0.1 } ?? min(expectedLines.count, actualLines.count)
        let want = index < expectedLines.count ? String(expectedLines[index].prefix(300)) : "<end>"
        let got = index < actualLines.count ? String(actualLines[index].prefix(300)) : "<end>"
        Issue.record(
            "snapshot \(name) differs at line \(index + 1)\nexpected: \(want)\n  actual: \(got)\n(re-record with RECORD_SNAPSHOTS=1)",
            sourceLocation: sourceLocation)
    }
}
