import DrillbookContent
import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation
import Testing

/// A site build reads each content file once and decodes it once: a run's page and the feed use
/// the details read with the run's figures, not a second read of its file.
@Suite struct ReadOnceTests {
    @Test func aSiteBuildOfTheSampleContentReadsAndDecodesEachFileOnce() async throws {
        let root = try temporaryFolder("read-once")
        defer { try? FileManager.default.removeItem(at: root) }
        let log = ContentReadLog()
        let result = try await ContentReadLog.$current.withValue(log) {
            try await SiteGenerator(
                contentDirectory: repositoryContent,
                builder: SiteBuilder(
                    themeDirectory: IncrementalBuildTests.theme, outputDirectory: root.appendingPathComponent("site"),
                    asOf: IncrementalBuildTests.asOf)
            ).generate()
        }
        #expect(result.runs > 10)
        let reads = log.counts(of: .read)
        let decodes = log.counts(of: .decode)
        let runFiles = reads.keys.filter { $0.hasPrefix("runs/") }
        // Every run file was read (the loader went through them), and nothing more than once.
        #expect(runFiles.count == result.runs)
        #expect(reads.filter { $0.value != 1 }.sorted { $0.key < $1.key }.map(\.key) == [])
        #expect(decodes.filter { $0.value != 1 }.sorted { $0.key < $1.key }.map(\.key) == [])
        #expect(Set(decodes.keys) == Set(reads.keys))
    }
}
