import DrillbookTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kill -9` of a real `drillbook build` at random moments: the output path always holds a whole
/// site, the old one or the new one, and the next build removes what the killed one left.
@Suite("Kill during build", .serialized)
struct KillDuringBuildTests {
    static let kills = 20

    @Test func aKilledBuildLeavesAWholeSiteAndTheNextOneCleansUp() async throws {
        let tool = try BuiltTool.find()
        let root = try temporaryFolder("e2e")
        defer { try? FileManager.default.removeItem(at: root) }
        let corpus = try await tool.run(
            ["corpus", "--runs", "300", "--incidents", "20", "--playbook", EndToEndTests.content, "--output", "content"], in: root)
        try #require(corpus.status == 0, "\(corpus.standardError)")

        // Two sites that differ in their files: without and with --base-url (sitemap.xml).
        let variants: [[String]] = [[], ["--base-url", "https://drills.example.com/"]]
        func arguments(_ variant: Int, into output: String) -> [String] {
            ["build", "--content", "content", "--theme", EndToEndTests.theme, "--output", output, "--as-of", "2026-11-29"]
                + variants[variant]
        }
        var counts: [Int] = []
        var seconds: [Double] = []
        for variant in variants.indices {
            let clock = ContinuousClock()
            let start = clock.now
            let built = try await tool.run(arguments(variant, into: "reference-\(variant)"), in: root)
            try #require(built.status == 0, "\(built.standardError)")
            let duration = (clock.now - start).components
            seconds.append(Double(duration.seconds) + Double(duration.attoseconds) / 1e18)
            counts.append(try Self.fileCount(root.appendingPathComponent("reference-\(variant)")))
        }
        try #require(counts[0] != counts[1])
        let output = root.appendingPathComponent("site")
        let first = try await tool.run(arguments(0, into: "site"), in: root)
        try #require(first.status == 0)

        // Kills spread over a whole build, half of them near its end (the swap is at the end). The
        // machine's load changes how long a build takes, so a build that ended before its kill
        // shortens the next delays: the loop stops after `kills` kills or three times as many tries.
        var generator = SystemRandomNumberGenerator()
        var longest = seconds.max()!
        var killed = 0
        var missing: [Int] = []
        for attempt in 0..<(Self.kills * 3) where killed < Self.kills {
            let variant = (attempt + 1) % 2
            let running = try tool.start(arguments(variant, into: "site"), in: root)
            let fraction = attempt % 2 == 0 ? Double.random(in: 0..<1, using: &generator) : Double.random(in: 0.8..<1.1, using: &generator)
            try await Task.sleep(for: .milliseconds(Int(fraction * longest * 1000)))
            if running.send(SIGKILL) { killed += 1 } else { longest *= 0.7 }
            _ = await running.outcome()
            let index = output.appendingPathComponent("index.html").path
            let marker = output.appendingPathComponent(".drillbook-site").path
            guard FileManager.default.fileExists(atPath: index), FileManager.default.fileExists(atPath: marker) else {
                missing.append(attempt)
                continue
            }
            let count = try Self.fileCount(output)
            let hasSitemap = FileManager.default.fileExists(atPath: output.appendingPathComponent("sitemap.xml").path)
            #expect(count == counts[hasSitemap ? 1 : 0], "kill \(attempt): \(count) files, not a whole site (\(counts))")
        }
        #expect(missing.isEmpty, "no whole site at the output path after kills \(missing)")
        #expect(killed > Self.kills / 2)

        // The next build removes the leftovers, and only the build state stays beside the output.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter {
            $0.hasPrefix(".site.building-") || $0.hasPrefix(".site.old-")
        }
        let next = try await tool.run(arguments(0, into: "site"), in: root)
        #expect(next.status == 0, "\(next.standardError)")
        if !leftovers.isEmpty {
            #expect(next.standardOutput.contains("Removed what interrupted builds left: " + leftovers.sorted().joined(separator: ", ")))
        }
        #expect(try Self.fileCount(output) == counts[0])
        let beside = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".site.") }
        #expect(beside.sorted() == [".site.build-cache", ".site.build-state"], "left beside the output: \(beside)")
    }

    /// Regular files under `folder`, dot-files included.
    static func fileCount(_ folder: URL) throws -> Int {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return 0 }
        var count = 0
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                count += 1
            }
        }
        return count
    }
}
