public import ArgumentParser
import DrillbookContent
import DrillbookModel
import DrillbookRunner
import DrillbookText
import Foundation

/// `--content DIR`, shared by the commands that read a content folder.
public struct ContentOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The content folder to read.", valueName: "dir"))
    public var content: String = "content"

    public init() {}

    var contentURL: URL { URL(fileURLWithPath: content, isDirectory: true) }

    func validateFolder() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("no content folder at \(TerminalText.line(content)); pass --content DIR")
        }
    }
}

/// Exit codes, documented in `docs/formats.md` and the README.
enum ExitCodes {
    /// The content has errors, a run failed, or a file could not be written.
    static let contentErrors = ExitCode(1)
}

/// The terminal writer: everything the commands print goes through here, and everything here is
/// made inert by `TerminalText` (control characters from content, file names and command output
/// shown escaped as `\u{1B}`, `\u{7}`, …), so no record can retitle or clear the terminal or forge
/// a line. One readable line per problem on standard error.
enum Diagnostics {
    /// Each issue as one `FILE:LINE: message` line on standard error.
    static func print(_ issues: [ContentIssue]) {
        for issue in issues {
            printError(issue.description)
        }
    }

    /// `line` as one line on standard error (line breaks inside it escaped).
    static func printError(_ line: String) {
        TerminalStreams.writeError(TerminalText.line(line) + "\n")
    }

    /// `line` as one line on standard output (line breaks inside it escaped).
    static func printOut(_ line: String) {
        TerminalStreams.writeOutput(TerminalText.line(line) + "\n")
    }

    /// A block of text (a plan, a table, an e-mail) on standard output, unbuffered, as it is but
    /// for its control characters: its line breaks and tabs are kept, every other one is escaped.
    static func writeOut(block text: String) {
        TerminalStreams.writeOutput(TerminalText.block(text))
    }

    /// JSON text on standard output, with the characters a terminal would act on written as JSON
    /// `\uXXXX` escapes (the same JSON value; `JSONEncoder` already escapes C0 controls).
    static func writeOut(json data: Data) {
        TerminalStreams.writeOutput(TerminalText.json(String(decoding: data, as: UTF8.self)))
    }
}

extension CalendarDay {
    /// Today in UTC, for `--as-of` defaults. The only place the CLI reads the clock for the site.
    static var todayUTC: CalendarDay {
        CalendarDay(daysSince1970: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// Parses `--as-of` values.
    static func argument(_ text: String) throws -> CalendarDay {
        guard let day = CalendarDay(iso8601: text) else {
            throw ValidationError("--as-of expects a date as YYYY-MM-DD, got \"\(TerminalText.line(text))\"")
        }
        return day
    }
}

/// A drill named on the command line: a path to its YAML file, or its id, looked up as
/// `content/drills/<id>.yaml` (so `drillbook announce redis-sentinel-failover` works).
enum DrillArgument {
    static func url(for argument: String, contentFolder: String = "content") -> URL {
        let direct = URL(fileURLWithPath: argument)
        if FileManager.default.fileExists(atPath: direct.path) || argument.contains("/") || argument.hasSuffix(".yaml") {
            return direct
        }
        for ext in ["yaml", "yml"] {
            let candidate = URL(fileURLWithPath: contentFolder).appendingPathComponent("drills/" + argument + "." + ext)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return direct
    }
}
