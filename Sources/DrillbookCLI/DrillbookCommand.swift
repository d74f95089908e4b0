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
            Start a records repository of your own with `drillbook init DIR`; the default theme \
            and the playbook's drills are built into the binary, so it works from any folder.

            \(ExitCodes.table)
            """,
        version: DrillbookVersion.current,
        subcommands: [
            InitCommand.self, BuildCommand.self, ServeCommand.self, CheckCommand.self, InspectCommand.self,
            ActionsCommand.self, RunCommand.self, AnnounceCommand.self, NewCommand.self, CorpusCommand.self,
            ImportCommand.self,
        ]
    )

    public init() {}

    /// Parses `arguments` (the process arguments when nil), runs the command through the
    /// asynchronous path and returns the exit status. Messages go where argument-parser sends them,
    /// with terminal controls escaped (they may quote an argument) and argument-parser's `Error: `
    /// replaced by the tool's one prefix (`drillbook: error: `); a mistyped subcommand gets a
    /// suggestion; usage errors exit with 2, as documented, instead of argument-parser's 64.
    public static func runAsMain(_ arguments: [String]? = nil) async -> Int32 {
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        if let word = given.first, let message = CommandSuggestion.message(forUnknown: word) {
            Diagnostics.printError(message)
            return ExitCodes.usage.rawValue
        }
        do {
            var command = try parseAsRoot(given)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let code = exitCode(for: error)
            var message = TerminalText.block(fullMessage(for: error))
            if code != .success, message.hasPrefix("Error: ") {
                message = Diagnostics.errorPrefix + message.dropFirst("Error: ".count)
            }
            let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
            if !message.isEmpty { stream.write(Data((message + "\n").utf8)) }
            return code == .validationFailure ? ExitCodes.usage.rawValue : code.rawValue
        }
    }
}

/// "did you mean build?" for a first word that is no subcommand.
enum CommandSuggestion {
    /// The subcommands, and `help`.
    static var names: [String] {
        DrillbookCommand.configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
    }

    /// The error for `word` when it is not an option, a subcommand or a file-like argument, with
    /// the nearest subcommand (edit distance at most 2, or a unique prefix) when there is one.
    static func message(forUnknown word: String) -> String? {
        guard !word.hasPrefix("-"), !names.contains(word) else { return nil }
        var text = Diagnostics.errorPrefix + "unknown command '\(TerminalText.line(word))'"
        if let nearest = nearest(to: word) {
            text += "; did you mean '\(nearest)'?"
        } else {
            text += "; commands are " + names.dropLast().joined(separator: ", ")
        }
        return text + " (see drillbook --help)"
    }

    /// The subcommand nearest to `word`, or nil when none is close.
    static func nearest(to word: String) -> String? {
        let lower = word.lowercased()
        let prefixed = names.filter { $0.hasPrefix(lower) }
        if lower.count >= 2, prefixed.count == 1 { return prefixed[0] }
        let scored = names.map { (name: $0, distance: distance($0, lower)) }.filter { $0.distance <= min(2, max(1, $0.name.count / 3)) }
        return scored.min { ($0.distance, $0.name) < ($1.distance, $1.name) }?.name
    }

    /// The optimal string alignment distance (Levenshtein plus transpositions: `biuld` → `build` is 1).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}

/// The tool's version, printed by `drillbook --version`.
public enum DrillbookVersion {
    public static let current = "0.1.0"
}
