@testable import DrillbookOutput
@testable import DrillbookSite
import Foundation
import Testing

/// A build checks its output folder first, and leaves the marker the guard looks for
/// (the guard itself is tested in DrillbookOutputTests).
@Suite("Output guard in a build")
struct OutputGuardBuildTests {
    @Test func theBuilderRefusesAFolderItDidNotWriteAndLeavesItAlone() async throws {
        let workspace = try SiteWorkspace()
        try FileManager.default.createDirectory(at: workspace.output, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: workspace.output.appendingPathComponent("notes.txt"))
        do {
            _ = try await workspace.builder().build(HistoryFixture.history())
            Issue.record("the build should refuse the folder")
        } catch {
            #expect(error.step == .checkOutput)
            #expect(error.message.contains("has no .drillbook-site file"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.output.path) == ["notes.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.root.path) == ["site"])
    }

    @Test func everySiteCarriesTheMarkerWithTheSameBytes() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        #expect(try workspace.text(OutputGuard.markerName) == OutputGuard.markerText)
        // A rebuild that changes nothing keeps the marker's inode, as every unchanged file.
        let marker = workspace.output.appendingPathComponent(OutputGuard.markerName).path
        let inode = try FileManager.default.attributesOfItem(atPath: marker)[.systemFileNumber] as? Int
        let report = try await workspace.builder().build(HistoryFixture.history())
        #expect(!report.outputReplaced)
        #expect(try FileManager.default.attributesOfItem(atPath: marker)[.systemFileNumber] as? Int == inode)
    }
}
