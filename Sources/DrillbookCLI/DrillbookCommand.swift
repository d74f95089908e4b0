public import ArgumentParser
import DrillbookModel
import DrillbookText
import Foundation

/// The `drillbook` command: a thin layer over the library targets.
public struct DrillbookCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "drillbook",
        abstract: "Practise chaos drills and publish their history.",
        discussion: """
            Exit codes: 0 success (a drill run that passed); 1 content errors, a drill run that \
            failed or was aborted, or a record or report that could not be written; 2 bad usage, \
            a refused run or a refused output folder; 3 an invalid drill definition.
            """,
        version: DrillbookVersion.current,
        subcommands: [
            BuildCommand.self, CheckCommand.self, InspectCommand.self, ActionsCommand.self, RunCommand.self,
            AnnounceCommand.self, NewCommand.self, CorpusCommand.self, ServeCommand.self,
        ]
    )

    public init() {}

    /// Parses `arguments` (the process arguments when nil), runs the command through the
    /// asynchronous path and returns the exit status. Messages go where argument-parser sends them,
    /// with terminal controls escaped (they may quote an argument); usage errors exit with 2, as
    /// documented, instead of argument-parser's 64.
    public static func runAsMain(_ arguments: [String]? = nil) async -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let code = exitCode(for: error)
            let message = TerminalText.block(fullMessage(for: error))
            let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
            if !message.isEmpty { stream.write(Data((message + "\n").utf8)) }
            return code == .validationFailure ? 2 : code.rawValue
        }
    }
}

/// The tool's version, printed by `drillbook --version`.
public enum DrillbookVersion {
    public static let current = "0.1.0"
}
