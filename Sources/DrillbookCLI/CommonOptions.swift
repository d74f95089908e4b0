public import ArgumentParser
import DrillbookContent
import DrillbookModel
import DrillbookRunner
import DrillbookText
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--content DIR`, shared by the commands that read a content folder.
public struct ContentOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The content folder to read.", valueName: "dir"), completion: .directory)
    public var content: String = "content"

    public init() {}

    var contentURL: URL { URL(fileURLWithPath: content, isDirectory: true) }

    func validateFolder() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExitCodes.missing("no content folder at \(content); pass --content DIR")
        }
    }
}

/// Exit codes, documented in `drillbook --help`, `docs/formats.md` and the README (one table,
/// `ExitCodes.table`, so the three agree).
enum ExitCodes {
    /// The content has errors, a run failed or was aborted, or a file could not be written.
    static let contentErrors = ExitCode(1)
    /// Bad usage (unknown command or option, invalid value), or a refusal (a run, an output
    /// folder, `init` into a folder that is not empty, `new` onto an existing file).
    static let usage = ExitCode(2)
    /// The drill definition is invalid.
    static let invalidDefinition = ExitCode(3)
    /// A file or folder named on the command line does not exist.
    static let notFound = ExitCode(4)

    /// The table printed by `drillbook --help` and copied into the README.
    static let table = """
        Exit codes:
          0  success (a drill run that passed)
          1  content errors; a drill run that failed or was aborted; a record,
             report or file that could not be written
          2  bad usage; a refused run, output folder, init folder or new file
          3  an invalid drill definition
          4  a file or folder named on the command line does not exist
        """

    /// Prints `message` as an error and returns the not-found exit code, to throw.
    static func missing(_ message: String) -> ExitCode {
        Diagnostics.printError(Diagnostics.errorPrefix + message)
        return notFound
    }
}

/// The terminal writer: everything the commands print goes through here, and everything here is
/// made inert by `TerminalText` (control characters from content, file names and command output
/// shown escaped as `\u{1B}`, `\u{7}`, …), so no record can retitle or clear the terminal or forge
/// a line. One readable line per problem on standard error.
enum Diagnostics {
    /// The one prefix of every error message the tool itself prints (located content problems
    /// keep the compiler-style `FILE:LINE: message` form, as `check` prints them).
    static let errorPrefix = "drillbook: error: "
    /// The prefix of hints (`drillbook actions --owner` with a name nobody has).
    static let notePrefix = "drillbook: note: "

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

/// The terminal's width for tables, help and progress: standard output's window size when it is a
/// terminal, else `COLUMNS`, else nil (not a terminal: print in full).
enum TerminalWidth {
    /// The width when standard output is a terminal (its window, else `COLUMNS`, else 80), or
    /// `COLUMNS` when it is set, else nil.
    static func current() -> Int? {
        let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        guard isatty(STDOUT_FILENO) == 1 else { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return columns ?? 80
    }

    /// The width help text is laid out in: argument-parser's own choice (`COLUMNS`, else the
    /// terminal's window, else 80).
    static var help: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

/// A command's USAGE line, wrapped to the help width: argument-parser prints its generated
/// synopsis on one line (101–140 columns for `build`, `actions`, `run`); this one breaks between
/// the elements, never inside `[--option <value>]`, and argument-parser indents the continuation.
enum Usage {
    /// `elements` joined by spaces, broken into lines that fit `width` after `USAGE: `.
    static func wrapped(_ elements: [String], width: Int = TerminalWidth.help) -> String {
        let room = max(20, width - "USAGE: ".count)
        var lines: [String] = []
        var line = ""
        for element in elements {
            if line.isEmpty {
                line = element
            } else if line.count + 1 + element.count <= room {
                line += " " + element
            } else {
                lines.append(line)
                line = "  " + element
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
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

    /// The drill's file, or the not-found exit (4) when neither the path nor
    /// `content/drills/<id>.yaml` exists.
    static func existingURL(for argument: String, contentFolder: String = "content") throws -> URL {
        let url = url(for: argument, contentFolder: contentFolder)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ExitCodes.missing(
                "no drill file at \(argument)" + (argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") ? "" : " (nor \(contentFolder)/drills/\(argument).yaml)"))
        }
        return url
    }
}
