import DrillbookContent
import DrillbookCorpus
import DrillbookModel
import DrillbookTestSupport
import Foundation
import Testing

@Suite struct CorpusGeneratorTests {
    @Test func smallCorpusLoadsWithoutErrorsOrWarnings() throws {
        let folder = try temporaryFolder("corpus-load")
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = try CorpusGenerator(playbook: repositoryContent, runs: 240, incidents: 30, seed: 3).write(to: folder)
        let loaded = ContentLoader(contentDirectory: folder).load()
        #expect(loaded.issues.map(\.description) == [])
        #expect(loaded.history.drills.count == summary.drills)
        #expect(loaded.history.runs.count == 240)
        #expect(loaded.history.incidents.count == 30)
        #expect(summary.incidentsJSON == 15 && summary.incidentsText == 15)
        // Every category, status and priority appears.
        let categories = Set(loaded.history.drills.map(\.category))
        #expect(categories == Set(DrillCategory.allCases))
        let items = loaded.history.runs.flatMap(\.actionItems) + loaded.history.incidents.flatMap(\.actionItems)
        #expect(Set(items.map(\.status)) == Set(ActionStatus.allCases))
        #expect(Set(items.map(\.priority)) == Set(ActionPriority.allCases))
        #expect(Set(items.map(\.id)).count == items.count)
        #expect(!loaded.history.actionUpdates.isEmpty)
        #expect(Set(loaded.history.runs.map(\.outcome)) == Set(RunOutcome.allCases))
        #expect(loaded.history.incidents.contains { $0.drillRunId != nil })
        // Verdicts agree with targets.
        for run in loaded.history.runs {
            for result in run.criteria {
                if let actual = result.actual, let comparison = result.comparison, let target = result.target {
                    #expect(comparison.holds(actual: actual, target: target) == (result.verdict == .met))
                }
            }
        }
    }

    @Test func lessonsAverageAboutTwoKilobytesPerRun() throws {
        let folder = try temporaryFolder("corpus-size")
        defer { try? FileManager.default.removeItem(at: folder) }
        try CorpusGenerator(playbook: repositoryContent, runs: 50, incidents: 0, seed: 9).write(to: folder)
        let runs = ContentLoader(contentDirectory: folder).load().history.fullRuns
        let text = runs.map { run in
            ([run.summary ?? ""] + run.observations + run.lessons.wentWell + run.lessons.couldImprove + run.lessons.nextSteps)
                .joined().utf8.count
        }.reduce(0, +)
        let average = text / runs.count
        #expect(average > 1_500 && average < 3_000)
    }

    @Test func sameSeedGivesIdenticalBytesAndAnotherSeedDiffers() throws {
        let a = try temporaryFolder("corpus-a")
        let b = try temporaryFolder("corpus-b")
        let c = try temporaryFolder("corpus-c")
        defer { for url in [a, b, c] { try? FileManager.default.removeItem(at: url) } }
        try CorpusGenerator(playbook: repositoryContent, runs: 60, incidents: 10, seed: 42).write(to: a)
        try CorpusGenerator(playbook: repositoryContent, runs: 60, incidents: 10, seed: 42).write(to: b)
        try CorpusGenerator(playbook: repositoryContent, runs: 60, incidents: 10, seed: 43).write(to: c)
        let first = try files(in: a)
        #expect(first.count > 60)
        #expect(try first == files(in: b))
        #expect(try first != files(in: c))
    }

    @Test func splitMixIsTheReferenceSequence() {
        // First outputs of SplitMix64 seeded with 0 (reference implementation by Vigna).
        var random = SplitMix64(seed: 0)
        #expect(random.next() == 0xE220_A839_7B1D_CDAF)
        #expect(random.next() == 0x6E78_9E6A_A1B9_65F4)
    }
}

/// The repository's content folder: the corpus copies its drills and schedule.
let repositoryContent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("content", isDirectory: true)
