public import ArgumentParser
import DrillbookContent
import DrillbookModel
import Foundation

/// `drillbook check`: validate a content folder and report every problem.
public struct CheckCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every record and report every problem, not just the first.",
        usage: Usage.wrapped(["drillbook check", "[--content <dir>]", "[--strict]"]),
        discussion: """
            Each problem is one line: the file, the line (and for JSON the path, like \
            $.criteria[2].verdict) and what was expected. Exits 1 when there is any error; \
            warnings alone exit 0 (use --strict to fail on them too). A template placeholder \
            left in a record written by drillbook new (such as [Root cause description]) is an \
            error, located at its line. Environment files (environments/<name>.yaml) are checked too.

            Examples:
              drillbook check
              drillbook check --content ../bondx-drills/content --strict
            """
    )

    @OptionGroup public var contentOptions: ContentOptions

    @Flag(help: "Treat warnings as errors.")
    public var strict = false

    public init() {}

    public func validate() throws { try contentOptions.validateFolder() }

    public func run() throws {
        let loaded = ContentLoader(contentDirectory: contentOptions.contentURL).load()
        // Environment files (`environments/*.yaml`) are checked like records.
        let environments = EnvironmentFile.loadAll(in: contentOptions.contentURL, display: contentOptions.content)
        let issues = loaded.issues + environments.issues
        Diagnostics.print(issues)
        let errors = issues.filter(\.isError).count
        let warnings = issues.count - errors
        let history = loaded.history
        let counts =
            "\(history.drills.count) drills, \(history.runs.count) runs, \(history.incidents.count) incidents, "
            + "\(Set(history.actionUpdates.map(\.actionId)).count) action histories"
            + (environments.environments.isEmpty ? "" : ", \(environments.environments.count) environments")
        if errors == 0 && warnings == 0 {
            Diagnostics.printOut("\(contentOptions.content): OK (\(counts))")
            return
        }
        Diagnostics.printError(
            "\(contentOptions.content): \(errors) error\(errors == 1 ? "" : "s"), "
                + "\(warnings) warning\(warnings == 1 ? "" : "s") (\(counts))")
        if errors > 0 || strict { throw ExitCodes.contentErrors }
    }
}
