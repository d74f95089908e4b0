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

/// A rebuild that changes a few files of a site puts those files in place one by one
/// (`OutputFolder.prepare(_:sparse:)`, `apply`) instead of staging and swapping a whole tree; the
/// site it leaves is the one a whole-tree build leaves, and the output fingerprint and entry
/// listing it relies on see every change.
@Suite("Sparse output")
struct SparseOutputTests {
    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    /// Every regular file under `root` by relative path, with its bytes.
    static func tree(_ root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: root.path)! {
            let url = root.appendingPathComponent(path)
            if (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true { files[path] = try Data(contentsOf: url) }
        }
        return files
    }

    @Test func aFewChangedFilesArePutInPlaceAndTheRestIsLeftAlone() async throws {
        let workspace = try SiteWorkspace()
        let first = try await workspace.builder().build(HistoryFixture.history())
        let folder = Self.inode(workspace.output.path)
        let index = Self.inode(workspace.output.appendingPathComponent("index.html").path)
        try Data("keep".utf8).write(to: workspace.output.appendingPathComponent(".htaccess"))
        var history = HistoryFixture.history()
        history.runDetails[history.runs[0].id]?.summary = "Rewritten in place."
        var builder = workspace.builder()
        builder.previousEntries = BuildState.outputListing(workspace.output)?.names
        let report = try await builder.build(history)
        #expect(report.outputReplaced)
        #expect(!report.changedFiles.isEmpty && report.changedFiles.count < first.pages.count)
        // The folder and the unchanged files are the ones that were there; nothing is left beside.
        #expect(Self.inode(workspace.output.path) == folder)
        #expect(Self.inode(workspace.output.appendingPathComponent("index.html").path) == index)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.root.path) == ["site"])
        #expect(try workspace.text(".htaccess") == "keep")
        // The same bytes as a whole-tree build of the same history into another folder.
        let other = try SiteWorkspace()
        _ = try await other.builder().build(history)
        var expected = try Self.tree(other.output)
        expected[".htaccess"] = Data("keep".utf8)
        #expect(try Self.tree(workspace.output) == expected)
    }

    /// Negative control: a site that gains or loses a file does not fit the previous entries, so
    /// the sparse staging is filled with the unchanged files and swapped whole (a page dropped
    /// from the history is gone from the output, not left behind by an in-place update).
    @Test func aSiteThatDropsAPageIsSwappedWhole() async throws {
        let workspace = try SiteWorkspace()
        var history = HistoryFixture.history()
        _ = try await workspace.builder().build(history)
        let folder = Self.inode(workspace.output.path)
        let entries = BuildState.outputListing(workspace.output)?.names
        let before = try Self.tree(workspace.output)
        history.runs.removeLast()
        var builder = workspace.builder()
        builder.previousEntries = entries
        _ = try await builder.build(history)
        #expect(Self.inode(workspace.output.path) != folder)
        let other = try SiteWorkspace()
        _ = try await other.builder().build(history)
        let after = try Self.tree(workspace.output)
        #expect(after == (try Self.tree(other.output)))
        #expect(Set(before.keys).subtracting(after.keys).count > 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.root.path) == ["site"])
    }

    @Test func theEntryDigestOfAFolderIsTheDigestOfItsPaths() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(HistoryFixture.history())
        let paths = report.pages + report.assets + report.extraFiles
        let listed = try #require(BuildState.outputListing(workspace.output))
        #expect(listed.names == BuildState.names(of: paths))
        // Top-level dot-files (the marker, carried files) are not entries a build must write.
        try Data("x".utf8).write(to: workspace.output.appendingPathComponent(".gitkeep"))
        #expect(BuildState.outputListing(workspace.output)?.names == listed.names)
        // Negative controls: one file more, one file fewer, one moved to another folder.
        #expect(BuildState.names(of: paths + ["runs/extra.html"]) != listed.names)
        #expect(BuildState.names(of: paths.dropLast()) != listed.names)
        try Data("x".utf8).write(to: workspace.output.appendingPathComponent("runs/extra.html"))
        #expect(BuildState.outputListing(workspace.output)?.names == BuildState.names(of: paths + ["runs/extra.html"]))
        let moved = paths.map { $0 == "index.html" ? "runs/index.html" : $0 }
        #expect(BuildState.names(of: moved) != listed.names)
    }

    /// The output fingerprint sums its entries' digests (no sort): every kind of change still changes it.
    @Test func theOutputFingerprintSeesEveryChange() async throws {
        let workspace = try SiteWorkspace()
        _ = try await workspace.builder().build(HistoryFixture.history())
        let output = workspace.output
        var seen: Set<String> = []
        func take() throws -> String {
            let print = try #require(BuildState.output(output))
            return print
        }
        let start = try take()
        seen.insert(start)
        #expect(try take() == start)  // the same folder, the same fingerprint
        let index = output.appendingPathComponent("index.html")
        // Same size, another modification time.
        let text = try String(contentsOf: index, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: index.path)
        #expect(seen.insert(try take()).inserted)
        // Rewritten (another inode).
        try text.write(to: index, atomically: true, encoding: .utf8)
        #expect(seen.insert(try take()).inserted)
        // Two files trade names: the same set of stamps, under other paths.
        let a = output.appendingPathComponent("404.html").path
        let b = output.appendingPathComponent("index.html").path
        #expect(rename(a, a + ".x") == 0 && rename(b, a) == 0 && rename(a + ".x", b) == 0)
        #expect(seen.insert(try take()).inserted)
        // A file removed, a folder added.
        #expect(unlink(a) == 0)
        #expect(seen.insert(try take()).inserted)
        try FileManager.default.createDirectory(at: output.appendingPathComponent("empty"), withIntermediateDirectories: false)
        #expect(seen.insert(try take()).inserted)
    }
}
