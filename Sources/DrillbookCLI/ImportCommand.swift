public import ArgumentParser
import DrillbookContent
import DrillbookImport
import DrillbookModel
import Foundation

/// `drillbook import chaostoolkit JOURNAL.json`: another tool's run as a drill-run record.
public struct ImportCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn another tool's run into a drill-run record (a Chaos Toolkit journal.json).",
        usage: Usage.wrapped(["drillbook import chaostoolkit <journal>", "[--drill <id>]", "[--output <dir>]", "[--environment <env>]"]),
        discussion: """
            The record goes to <output>/<YYYY>/<YYYY-MM-DD>-<drill>-chaostoolkit.json and never over \
            another file (-2, -3, … when the name is taken). Steady-state probes become criteria, \
            actions and rollbacks the timeline, status and deviated the outcome; fields chaoslib \
            does not write are kept in the record's outputs and printed as warnings.

            Exit codes: 0 imported, 1 the record could not be written, 2 bad usage, 3 the journal \
            is not one Chaos Toolkit writes (FILE: $.path: expected …), 4 no file at that path.

            Example:
              drillbook import chaostoolkit journal.json --drill checkout-api-outage
            """
    )

    @Argument(help: "The tool that wrote the file: chaostoolkit.")
    public var tool: Tool

    @Argument(help: "The journal (journal.json).", completion: .file(extensions: ["json"]))
    public var journal: String

    @Option(help: ArgumentHelp("The drill the run realised (default: the experiment's title as an id).", valueName: "id"))
    public var drill: String?

    @Option(help: ArgumentHelp("Folder of run records (default: content/runs).", valueName: "dir"), completion: .directory)
    public var output: String = "content/runs"

    @Option(help: ArgumentHelp("The environment the experiment ran against (default: local).", valueName: "env"))
    public var environment: String = "local"

    public enum Tool: String, ExpressibleByArgument, CaseIterable, Sendable {
        case chaostoolkit
    }

    public init() {}

    public func run() async throws {
        guard let data = FileManager.default.contents(atPath: journal) else {
            printError("no journal at \(journal)")
            throw ExitCodes.notFound
        }
        let imported: ChaosToolkitJournal
        do {
            imported = try ChaosToolkitJournal(data: data, file: journal, drillId: drill, environment: environment)
        } catch {
            printError(error.description)
            throw ExitCodes.invalidDefinition
        }
        for warning in imported.warnings { Diagnostics.printError("drillbook: warning: " + warning) }
        do {
            let folder = URL(fileURLWithPath: output)
            let (url, run) = try ImportedRecordWriter.write(imported.run, into: folder)
            // The file as the user named its folder (`runs/2026/…`, not the absolute path).
            let shown = url.path.hasPrefix(folder.path) ? output + url.path.dropFirst(folder.path.count) : url.path
            Diagnostics.printOut("Imported \(journal) as \(run.id) (\(run.outcome.rawValue)): \(shown)")
        } catch {
            printError("could not write the run record under \(output): \(error)")
            throw ExitCodes.contentErrors
        }
    }
}
