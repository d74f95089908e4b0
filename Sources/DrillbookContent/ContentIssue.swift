import DrillbookModel
import DrillbookText

/// Where in a file a problem is: a line (and column) and, for structured records, the JSON path
/// of the value (`$.criteria[2].verdict`). Either or both may be known.
public struct ContentLocation: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column (in Unicode scalars), when known.
    public var column: Int?
    /// `$`-rooted path of the value inside the record, when the problem is about one value.
    public var jsonPath: String?

    /// A location from whichever parts are known.
    public init(line: Int? = nil, column: Int? = nil, jsonPath: String? = nil) {
        self.line = line
        self.column = column
        self.jsonPath = jsonPath
    }

    /// A position in the text of the file.
    public static func line(_ line: Int, column: Int? = nil) -> ContentLocation {
        ContentLocation(line: line, column: column)
    }

    /// A value inside a record, with the line it is written on when known.
    public static func jsonPath(_ path: String, line: Int? = nil, column: Int? = nil) -> ContentLocation {
        ContentLocation(line: line, column: column, jsonPath: path)
    }

    /// `14:3: $.criteria[2].verdict`, or the parts that are known.
    public var description: String {
        var parts: [String] = []
        if let line {
            parts.append(column.map { String(line) + ":" + String($0) } ?? String(line))
        }
        if let jsonPath { parts.append(jsonPath) }
        return parts.joined(separator: ": ")
    }
}

/// One problem found in the content folder: the file, where in it, and what was wrong and expected.
///
/// Printed as `content/runs/2026/q1/x.json:14: $.criteria[2].verdict: expected one of met, missed,
/// not-measured, got "ok"`; warnings carry `warning:` before the path.
public struct ContentIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Errors make the content unusable (`drillbook` exits 1); warnings are likely mistakes.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// Error or warning.
    public var severity: Severity
    /// The file as the user would type it: the content directory joined with the relative path.
    public var file: String
    /// Line, column and JSON path inside the file, when known; nil for problems with the whole file.
    public var location: ContentLocation?
    /// What was wrong and what was expected.
    public var message: String

    /// An issue; see `error(_:_:_:)` and `warning(_:_:_:)` for shorter call sites.
    public init(severity: Severity = .error, file: String, location: ContentLocation? = nil, message: String) {
        self.severity = severity
        self.file = file
        self.location = location
        self.message = message
    }

    /// An error.
    public static func error(_ file: String, _ location: ContentLocation?, _ message: String) -> ContentIssue {
        ContentIssue(severity: .error, file: file, location: location, message: message)
    }

    /// A warning: loading goes on and the exit status stays 0.
    public static func warning(_ file: String, _ location: ContentLocation?, _ message: String) -> ContentIssue {
        ContentIssue(severity: .warning, file: file, location: location, message: message)
    }

    /// True for errors (the content is unusable), false for warnings.
    public var isError: Bool { severity == .error }

    /// One line: `FILE[:LINE[:COLUMN]]: [warning: ][JSON-PATH: ]MESSAGE` (the column only
    /// when there is no JSON path, i.e. for syntax errors). Always exactly one line, inert on a
    /// terminal: a line break or control character in the file name, path or message (which may
    /// quote content) is shown escaped by `TerminalText.line`, e.g. `\u{A}`, `\u{1B}`.
    public var description: String {
        var text = file
        if let line = location?.line {
            text += ":" + String(line)
            // Columns are shown for positions in the text (syntax errors); a JSON path says the rest.
            if let column = location?.column, location?.jsonPath == nil { text += ":" + String(column) }
        }
        text += ": "
        if severity == .warning { text += "warning: " }
        if let path = location?.jsonPath { text += path + ": " }
        return TerminalText.line(text + message)
    }
}

/// Several problems at once, e.g. every problem of one file that could not be loaded.
public struct ContentIssues: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, in the order they are printed.
    public var issues: [ContentIssue]

    /// Wraps `issues`.
    public init(_ issues: [ContentIssue]) { self.issues = issues }

    /// Wraps `issues`.
    public init(issues: [ContentIssue]) { self.issues = issues }

    /// One line per issue.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

extension ContentIssue {
    /// Issues in a stable order: by file, then line, then message.
    static func sorted(_ issues: [ContentIssue]) -> [ContentIssue] {
        issues.sorted { a, b in
            if a.file != b.file { return a.file < b.file }
            let la = a.location?.line ?? 0
            let lb = b.location?.line ?? 0
            if la != lb { return la < lb }
            let ca = a.location?.column ?? 0
            let cb = b.location?.column ?? 0
            if ca != cb { return ca < cb }
            if a.severity != b.severity { return a.severity == .error }
            let pa = a.location?.jsonPath ?? ""
            let pb = b.location?.jsonPath ?? ""
            if pa != pb { return pa < pb }
            return a.message < b.message
        }
    }
}
