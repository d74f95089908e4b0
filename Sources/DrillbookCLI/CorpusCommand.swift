public import ArgumentParser
import DrillbookCorpus
import Foundation

/// `drillbook corpus`: a synthetic content folder for benchmarks and large-site tests.
public struct CorpusCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Write a deterministic synthetic content folder (for benchmarks).",
        usage: Usage.wrapped([
            "drillbook corpus", "--output <dir>", "[--runs <n>]", "[--incidents <n>]", "[--seed <n>]", "[--playbook <dir>]",
        ]),
        discussion: """
            Copies the drills and schedule of a content folder (--playbook, default content), \
            then writes drill runs spread over years on the \
            Appendix A schedule, incidents (half JSON, half the playbook's text form), action \
            items and their status histories. The same options give byte-identical files, and \
            the folder passes `drillbook check`. Files are renamed into place whole but not flushed \
            one by one: the corpus is flushed to disk once, at the end (it is generated test data). \
            A corpus that takes over a second shows its progress on standard error.

            Examples:
              drillbook corpus --runs 1000 --incidents 50 --output /dev/shm/corpus-1k
              drillbook corpus --runs 10000 --incidents 500 --seed 7 --output /tmp/corpus
            """
    )

    @Option(help: ArgumentHelp("How many drill runs to write.", valueName: "n"))
    public var runs: Int = 1000

    @Option(help: ArgumentHelp("How many incidents to write.", valueName: "n"))
    public var incidents: Int = 50

    @Option(help: ArgumentHelp("The seed of the pseudo-random sequence.", valueName: "n"))
    public var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The content folder whose drills and schedule are copied.", valueName: "dir"), completion: .directory)
    public var playbook: String = "content"

    @Option(help: ArgumentHelp("The folder to write (created when missing; should be empty).", valueName: "dir"), completion: .directory)
    public var output: String

    public init() {}

    public func validate() throws {
        guard runs >= 0, runs <= 1_000_000 else { throw ValidationError("--runs must be between 0 and 1000000") }
        guard incidents >= 0, incidents <= 100_000 else { throw ValidationError("--incidents must be between 0 and 100000") }
    }

    public func run() throws {
        var generator = CorpusGenerator(
            playbook: URL(fileURLWithPath: playbook, isDirectory: true), runs: runs, incidents: incidents, seed: seed)
        let progress = ProgressLine()
        generator.progress = { progress.update($0) }
        do {
            let summary: CorpusGenerator.Summary
            do {
                defer { progress.finish() }
                summary = try generator.write(to: URL(fileURLWithPath: output, isDirectory: true))
            }
            Diagnostics.printOut(
                "Wrote \(summary.drills) drills, \(summary.runs) runs, "
                    + "\(summary.incidentsJSON + summary.incidentsText) incidents (\(summary.incidentsText) as text), "
                    + "\(summary.actionItems) action items and \(summary.actionUpdateFiles) action histories "
                    + "from \(summary.firstDay) to \(summary.lastDay) into \(output)/")
        } catch {
            Diagnostics.printError(Diagnostics.errorPrefix + error.description)
            throw ExitCodes.contentErrors
        }
    }
}
