import DrillbookModel
@testable import DrillbookOutput
@testable import DrillbookSite
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The swap puts the new site at the output path in one step, and a build removes what
/// interrupted builds left beside the output, and nothing else.
@Suite("Output swap")
struct OutputSwapTests {
    @Test func aChangedBuildSwapsInANewTreeAndLeavesNothingBeside() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        let before = try FileManager.default.attributesOfItem(atPath: workspace.output.path)[.systemFileNumber] as? Int
        var history = HistoryFixture.history()
        history.runDetails[history.runs[0].id]?.summary = "Rewritten."
        let report = try await workspace.builder().build(history)
        #expect(report.outputReplaced)
        #expect(try FileManager.default.attributesOfItem(atPath: workspace.output.path)[.systemFileNumber] as? Int != before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.root.path) == ["site"])
        #expect(try workspace.text(OutputGuard.markerName) == OutputGuard.markerText)
    }

    @Test func leftoversOfInterruptedBuildsAreRemovedAndNothingElse() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        let manager = FileManager.default
        func folder(_ name: String, files: [String]) throws {
            let url = workspace.root.appendingPathComponent(name)
            try manager.createDirectory(at: url, withIntermediateDirectories: true)
            for file in files { try Data(file.utf8).write(to: url.appendingPathComponent(file)) }
        }
        let id = { UUID().uuidString }
        // Drillbook's own: a staging folder cut short, an old site left by an exchange or by the
        // two-rename swap, one emptied down to nothing.
        let staging = ".site.building-" + id()
        let exchanged = ".site.building-" + id()
        let setAside = ".site.old-" + id()
        let emptied = ".site.old-" + id()
        try folder(staging, files: ["index.html"])
        try folder(exchanged, files: [OutputGuard.markerName, "index.html"])
        try folder(setAside, files: [OutputGuard.markerName, "feed.xml"])
        try folder(emptied, files: [])
        // Not drillbook's: kept.
        let kept = [
            ".site.old-" + id(),  // no marker: someone else's folder
            ".site.building-not-a-uuid",
            ".other.building-" + id(),
            "site.old-" + id(),
            ".site.building-" + id() + "-copy",
        ]
        try folder(kept[0], files: ["thesis.tex"])
        for name in kept.dropFirst() { try folder(name, files: [OutputGuard.markerName]) }
        // A link named like a leftover is not followed.
        let target = workspace.root.appendingPathComponent("precious")
        try folder("precious", files: [OutputGuard.markerName, "notes.txt"])
        let link = ".site.old-" + id()
        try manager.createSymbolicLink(atPath: workspace.root.appendingPathComponent(link).path, withDestinationPath: target.path)
        // A build still running holds its staging folder locked.
        let running = ".site.building-" + id()
        try folder(running, files: [OutputGuard.markerName])
        let lock = open(workspace.root.appendingPathComponent(running).path, O_RDONLY | O_DIRECTORY)
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        defer { close(lock) }

        var history = HistoryFixture.history()
        history.runDetails[history.runs[0].id]?.summary = "Rewritten."
        let report = try await workspace.builder().build(history)
        #expect(report.removedLeftovers == [staging, exchanged, setAside, emptied].sorted())
        let left = Set(try manager.contentsOfDirectory(atPath: workspace.root.path))
        #expect(left == Set(["site", "precious", link, running] + kept))
        #expect(try manager.contentsOfDirectory(atPath: target.path).sorted() == [OutputGuard.markerName, "notes.txt"])
    }

    @Test func removingATreeRemovesTheLinksInItNotWhatTheyName() throws {
        let workspace = try SiteWorkspace()
        let tree = workspace.root.appendingPathComponent("tree")
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("runs"), withIntermediateDirectories: true)
        try Data().write(to: tree.appendingPathComponent(OutputGuard.markerName))
        try Data().write(to: tree.appendingPathComponent("runs/a.html"))
        // A link inside is removed, not followed.
        let outside = workspace.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data().write(to: outside.appendingPathComponent("keep"))
        try FileManager.default.createSymbolicLink(atPath: tree.appendingPathComponent("link").path, withDestinationPath: outside.path)
        OutputFolder.removeTree(tree.path)
        #expect(!FileManager.default.fileExists(atPath: tree.path))
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("keep").path))
    }
}
