public import ArgumentParser
import DrillbookContent
import DrillbookModel
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
            throw ValidationError("no content folder at \(content); pass --content DIR")
        }
    }
}

/// Exit codes, documented in `docs/formats.md` and the README.
enum ExitCodes {
    /// The content has errors, or a run failed.
    static let contentErrors = ExitCode(1)
}

/// One readable line per problem on standard error.
enum Diagnostics {
    static func print(_ issues: [ContentIssue]) {
        for issue in issues {
            printError(issue.description)
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static func printOut(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
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
            throw ValidationError("--as-of expects a date as YYYY-MM-DD, got \"\(text)\"")
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
