public import DrillbookContent
public import DrillbookModel
public import Foundation

/// A drill file that cannot be run: every error the content checks found, each naming the file
/// and the line (`drills/x.yaml:12: $.execution.fault[0].wait: expected a number, got "soon"`).
public struct DrillFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, errors only, in file order.
    public var issues: [ContentIssue]

    public init(issues: [ContentIssue]) { self.issues = issues }

    /// The file as named.
    public var path: String { issues.first?.file ?? "" }
    /// The 1-based line of the first problem, when known.
    public var line: Int? { issues.first?.location?.line }
    /// The first problem without its file and line: `$.execution.fault[0].wait: expected a number…`.
    public var message: String {
        guard let first = issues.first else { return "" }
        return (first.location?.jsonPath.map { $0 + ": " } ?? "") + first.message
    }

    /// One line per problem.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Reads a drill definition for `drillbook run` through the shared content checks, so the
/// executor accepts exactly what `drillbook check` accepts and reports it the same way.
public enum DrillFileReader {
    /// Reads and checks the drill file at `url` (named in messages as given).
    public static func read(_ url: URL) throws(DrillFileError) -> DrillDefinition {
        try readChecked(url).drill
    }

    /// Reads and checks the drill file at `url`, also returning the warnings `drillbook check`
    /// would print for it (likely mistakes that do not stop the run).
    public static func readChecked(_ url: URL) throws(DrillFileError) -> (drill: DrillDefinition, warnings: [ContentIssue]) {
        let path = url.relativePath
        guard let data = try? Data(contentsOf: url) else {
            throw DrillFileError(issues: [.error(path, nil, "cannot read the file; expected a drill definition (.yaml)")])
        }
        switch UTF8Text.decode([UInt8](data), file: path) {
        case .success(let text): return try decodeChecked(text, path: path)
        case .failure(let issue): throw DrillFileError(issues: [issue])
        }
    }

    /// Checks a drill definition given as YAML text; `path` names it in messages.
    public static func decode(_ yaml: String, path: String) throws(DrillFileError) -> DrillDefinition {
        try decodeChecked(yaml, path: path).drill
    }

    /// `decode`, also returning the warnings.
    public static func decodeChecked(_ yaml: String, path: String) throws(DrillFileError) -> (drill: DrillDefinition, warnings: [ContentIssue]) {
        let (drill, issues) = ContentLoader.decodeDrill(yaml: yaml, file: path)
        let errors = issues.filter(\.isError)
        guard let drill, errors.isEmpty else {
            throw DrillFileError(issues: errors.isEmpty ? [.error(path, nil, "expected a drill definition")] : errors)
        }
        return (drill, issues.filter { !$0.isError })
    }
}
