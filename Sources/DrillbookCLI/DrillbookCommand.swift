public import ArgumentParser

/// The `drillbook` command: a thin layer over the library targets.
public struct DrillbookCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "drillbook",
        abstract: "Practise chaos drills and publish their history.",
        version: DrillbookVersion.current,
        subcommands: [BuildCommand.self, CheckCommand.self, InspectCommand.self, CorpusCommand.self]
    )

    public init() {}
}

/// The tool's version, printed by `drillbook --version`.
public enum DrillbookVersion {
    public static let current = "0.1.0"
}
