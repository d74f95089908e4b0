import DrillbookContent
import DrillbookModel
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The content walk and symbolic links: loops are read once, links leaving the content folder
/// are errors naming the link (nothing behind them is read or quoted), links inside keep working
/// and a file reached twice is loaded once.
@Suite struct SymlinkWalkTests {
    let manager = FileManager.default

    func link(_ scratch: ScratchContent, _ relative: String, to destination: String) throws {
        let url = scratch.root.appendingPathComponent(relative)
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: url.path, withDestinationPath: destination)
    }

    /// `path` with every link resolved, as the loader names link targets.
    func real(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    // Before: 120 s and 3.6 GB on the sample content, a path per combination of the two links.
    @Test func selfLinksAreWalkedOnce() throws {
        let scratch = try ScratchContent([:], copyingValid: true)
        defer { scratch.remove() }
        let plain = scratch.load()
        let runFolder = try #require(plain.history.sourcePaths.values.first { $0.hasPrefix("runs/") && $0.hasSuffix(".json") })
        let folder = (runFolder as NSString).deletingLastPathComponent
        try link(scratch, folder + "/loop", to: ".")
        try link(scratch, folder + "/up", to: "..")
        try link(scratch, "runs/top", to: "../runs")
        var linked = plain
        let elapsed = ContinuousClock().measure { linked = scratch.load() }
        #expect(elapsed < .seconds(5))
        #expect(linked.issues.map(\.description) == plain.issues.map(\.description))
        #expect(linked.history == plain.history)
    }

    @Test func linksLeavingTheContentFolderAreErrorsThatQuoteNothing() throws {
        let scratch = try ScratchContent(["drills/redis-sentinel-failover.yaml": minimalDrillYAML])
        defer { scratch.remove() }
        let secret = scratch.parent.appendingPathComponent("secret.json")
        try Data("root:x:0:0:root:/root:/bin/bash\n".utf8).write(to: secret)
        let outsideFolder = scratch.parent.appendingPathComponent("elsewhere")
        try manager.createDirectory(at: outsideFolder, withIntermediateDirectories: true)
        try Data(runJSON(id: "outside").utf8).write(to: outsideFolder.appendingPathComponent("r.json"))
        try link(scratch, "runs/2026/x.json", to: "/etc/passwd")
        try link(scratch, "runs/2026/y.json", to: "../../../secret.json")
        try link(scratch, "runs/2026/far", to: outsideFolder.path)
        try link(scratch, "drills/other.yaml", to: secret.path)
        try link(scratch, "incidents/INC-1.json", to: secret.path)
        try link(scratch, "actions/AI-1.yaml", to: secret.path)
        try link(scratch, "schedule.yaml", to: secret.path)
        let secretPath = real(secret.path)
        let tail = "; copy the file into the content folder instead"
        let lead = ": a symbolic link that leads outside the content folder (to "
        #expect(
            scratch.descriptions() == [
                "content/actions/AI-1.yaml" + lead + secretPath + ")" + tail,
                "content/drills/other.yaml" + lead + secretPath + ")" + tail,
                "content/incidents/INC-1.json" + lead + secretPath + ")" + tail,
                "content/runs/2026/far" + lead + real(outsideFolder.path) + ")" + tail,
                "content/runs/2026/x.json" + lead + real("/etc/passwd") + ")" + tail,
                "content/runs/2026/y.json" + lead + secretPath + ")" + tail,
                "content/schedule.yaml" + lead + secretPath + ")" + tail,
            ])
        #expect(scratch.load().history.runs.isEmpty)
    }

    @Test func aLinkedContentFolderIsItsOwnInside() throws {
        let scratch = try ScratchContent([:], copyingValid: true)
        defer { scratch.remove() }
        let alias = scratch.parent.appendingPathComponent("alias")
        try manager.createSymbolicLink(atPath: alias.path, withDestinationPath: "content")
        let viaAlias = ContentLoader(contentDirectory: URL(fileURLWithPath: "alias", isDirectory: true, relativeTo: scratch.parent)).load()
        #expect(viaAlias.issues.map(\.description) == scratch.load().issues.map(\.description).map { "alias" + $0.dropFirst("content".count) })
        #expect(viaAlias.history == scratch.load().history)
    }

    @Test func linksInsideTheFolderLoadEachFileOnce() throws {
        let scratch = try ScratchContent([
            "drills/redis-sentinel-failover.yaml": minimalDrillYAML,
            "runs/2026/q1/a.json": runJSON(id: "a", actionId: "AI-a"),
            "runs/2026/q1/b.json": runJSON(id: "b", actionId: "AI-b"),
            "shared/c.json": runJSON(id: "c", actionId: "AI-c"),
        ])
        defer { scratch.remove() }
        try link(scratch, "runs/latest.json", to: "2026/q1/b.json")
        try link(scratch, "runs/0-mirror", to: "2026")
        try link(scratch, "runs/shared", to: "../shared")
        let result = scratch.load()
        #expect(result.issues.map(\.description) == [])
        #expect(result.history.runs.map(\.id).sorted() == ["a", "b", "c"])
        // The path outside links wins; a file only behind a link keeps the link's path.
        #expect(result.history.sourcePaths["a"] == "runs/2026/q1/a.json")
        #expect(result.history.sourcePaths["b"] == "runs/2026/q1/b.json")
        #expect(result.history.sourcePaths["c"] == "runs/shared/c.json")
        // A run behind a link is loaded whole, details included, like any other.
        #expect(result.history.runDetails["c"] != nil)
    }

    @Test func brokenLinksAndSpecialFilesAreNamed() throws {
        let scratch = try ScratchContent(["drills/redis-sentinel-failover.yaml": minimalDrillYAML])
        defer { scratch.remove() }
        try link(scratch, "runs/gone.json", to: "nowhere.json")
        try link(scratch, "runs/ring-a.json", to: "ring-b.json")
        try link(scratch, "runs/ring-b.json", to: "ring-a.json")
        #expect(mkfifo(scratch.root.appendingPathComponent("runs/pipe.json").path, 0o600) == 0)
        #expect(mkfifo(scratch.root.appendingPathComponent("runs/notes.txt").path, 0o600) == 0)
        let elapsed = ContinuousClock().measure { _ = scratch.load() }
        #expect(elapsed < .seconds(5))
        #expect(
            scratch.descriptions() == [
                "content/runs/gone.json: a symbolic link that cannot be followed (No such file or directory); fix or remove the link",
                "content/runs/notes.txt: warning: not loaded: runs/ holds one .json file per run",
                "content/runs/pipe.json: not a regular file (a FIFO, socket or device); the content folder holds only files and folders",
                "content/runs/ring-a.json: a symbolic link that cannot be followed (its links form a loop); fix or remove the link",
                "content/runs/ring-b.json: a symbolic link that cannot be followed (its links form a loop); fix or remove the link",
            ])
    }
}
