public import ArgumentParser
import DrillbookContent
import DrillbookModel
import DrillbookRunner
import Foundation

/// `drillbook announce DRILL --at …`: prints the playbook's drill notification e-mail.
public struct AnnounceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "announce",
        abstract: "Print the playbook's drill notification e-mail, filled from a drill definition.",
        usage: Usage.wrapped([
            "drillbook announce <drill>", "--at <at>", "[--participant <participant> ...]", "[--content <content>]",
        ]),
        discussion: """
            Examples:
              drillbook announce content/drills/redis-sentinel-failover.yaml --at "2026-03-02 10:00 +05:30" \\
                --participant "Drill lead: Asha Rao" --participant "On-call Engineer: Tom Berg"
              drillbook announce redis-sentinel-failover --at "2026-12-07 10:00 UTC"
            """
    )

    @Argument(help: "The drill definition (YAML), or a drill id looked up in content/drills/.")
    public var drill: String

    @Option(help: "When the drill runs: \"YYYY-MM-DD HH:MM\" with UTC or an offset (+05:30).")
    public var at: String

    @Option(name: .customLong("participant"), help: "\"Role: Name\"; repeat for each participant.")
    public var participants: [String] = []

    @Option(help: "The content folder whose site.yaml names the organisation for the subject.")
    public var content: String = "content"

    public init() {}

    public func run() async throws {
        let definition: DrillDefinition
        do { definition = try DrillFileReader.read(DrillArgument.url(for: drill)) } catch {
            for issue in error.issues { printError(issue.description) }
            throw ExitCode(3)
        }
        guard let when = Timestamp(incidentTime: at) else {
            printError("--at: expected \"YYYY-MM-DD HH:MM\" followed by UTC or an offset like +05:30, got \"\(at)\"")
            throw ExitCode(2)
        }
        var people: [Participant] = []
        for text in participants {
            let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                printError("--participant: expected \"Role: Name\", got \"\(text)\"")
                throw ExitCode(2)
            }
            people.append(Participant(name: parts[1], role: parts[0]))
        }
        // The organisation comes from the site configuration (none when the folder has none).
        let site = ContentLoader.siteConfiguration(in: URL(fileURLWithPath: content, isDirectory: true))
        for issue in site.issues where issue.isError { printError(issue.description) }
        if site.issues.contains(where: \.isError) { throw ExitCode(3) }
        // The e-mail's lines stay; control characters from the drill are shown escaped.
        Diagnostics.writeOut(
            block: PlaybookTemplates.announcement(
                for: definition, at: when, participants: people, organisation: site.configuration.organisation))
    }
}
