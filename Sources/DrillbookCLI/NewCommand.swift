public import ArgumentParser
import DrillbookModel
public import DrillbookRunner
import Foundation

/// `drillbook new incident|run|drill`: writes a new file from the playbook's templates.
public struct NewCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new incident, run or drill file from the playbook's templates, with a fresh id.",
        discussion: """
            Never overwrites an existing file.

            Examples:
              drillbook new incident --output content/incidents
              drillbook new run --drill redis-sentinel-failover --output content/runs/2026
              drillbook new drill --output content/drills
            """
    )

    @Argument(help: "What to create: incident, run or drill.")
    public var kind: PlaybookTemplates.Kind

    @Option(help: "Folder to write into (default: content/incidents, content/runs/<YYYY>, content/drills).")
    public var output: String?

    @Option(help: "For a run: the drill it records.")
    public var drill: String = "drill-id"

    public init() {}

    public func run() async throws {
        let now = Timestamp(date: Date(), utcOffsetSeconds: TimeZone.current.secondsFromGMT())
        let file = PlaybookTemplates.newFile(kind, now: now, drillId: drill)
        let folder = URL(fileURLWithPath: output ?? file.defaultFolder)
        let url = folder.appendingPathComponent(file.name)
        if FileManager.default.fileExists(atPath: url.path) {
            printError("refused: \(url.path) already exists; nothing was written")
            throw ExitCode(2)
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try RunRecordWriter.atomicWrite(Data(file.text.utf8), to: url)
        } catch {
            printError("could not write \(url.path): \(error)")
            throw ExitCode(2)
        }
        Diagnostics.printOut(url.path)
    }
}

extension PlaybookTemplates.Kind: ExpressibleByArgument {}
