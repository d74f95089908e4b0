public import ArgumentParser
import DrillbookEmbedded
import DrillbookText
import Foundation

/// `drillbook init DIR`: a records repository to start from.
public struct InitCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a records repository: drills, schedule, site settings, examples, CI.",
        usage: Usage.wrapped(["drillbook init <dir>"]),
        discussion: """
            Writes into DIR (created when missing; it must be empty): the playbook's drill \
            definitions and their support files (content/drills/), its schedule \
            (content/schedule.yaml), a site configuration (content/site.yaml), one example run \
            and one example incident, a README for the team, a .gitignore and a CI workflow that \
            checks the records and publishes the site (.github/workflows/drillbook.yml; publish.sh \
            for other CI). Then, from DIR: drillbook check, drillbook build.

            A DIR that exists and is not empty is refused with exit code 2, and nothing is written: \
            init never overwrites a file.

            Examples:
              drillbook init ../our-drills
              cd ../our-drills && drillbook check && drillbook build
            """
    )

    @Argument(help: ArgumentHelp("The folder to create the repository in.", valueName: "dir"), completion: .directory)
    public var directory: String

    public init() {}

    /// Every file `init` writes, relative to DIR, with its bytes: the starter, then the
    /// playbook's drills and schedule under `content/`.
    static var files: [(path: String, file: EmbeddedFile)] {
        EmbeddedFiles.recordsStarter.map { ($0.path, $0) }
            + EmbeddedFiles.playbookDrills.map { ("content/drills/" + $0.path, $0) }
            + EmbeddedFiles.playbookSchedule.map { ("content/" + $0.path, $0) }
    }

    public func run() throws {
        let fileManager = FileManager.default
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                Diagnostics.printError(Diagnostics.errorPrefix + "refused: \(directory) is a file, not a folder; nothing was written")
                throw ExitCodes.usage
            }
            let entries = (try? fileManager.contentsOfDirectory(atPath: folder.path)) ?? ["?"]
            guard entries.isEmpty else {
                Diagnostics.printError(
                    Diagnostics.errorPrefix + "refused: \(directory) is not empty (init never overwrites); "
                        + "pass a new or empty folder; nothing was written")
                throw ExitCodes.usage
            }
        }
        var written = 0
        do {
            for entry in Self.files {
                try FilesWriter.write(entry.file.data, executable: entry.file.executable, to: folder.appendingPathComponent(entry.path))
                written += 1
            }
        } catch {
            Diagnostics.printError(Diagnostics.errorPrefix + "\(error); \(written) files were written into \(directory)")
            throw ExitCodes.contentErrors
        }
        let drills = EmbeddedFiles.playbookDrills.filter { !$0.path.contains("/") && $0.path.hasSuffix(".yaml") }.count
        Diagnostics.printOut("Wrote a records repository into \(directory)/: \(drills) drills, a schedule, content/site.yaml, "
            + "an example run and incident, README.md and a CI workflow (\(written) files).")
        Diagnostics.printOut("Next: cd \(directory) && drillbook check && drillbook build")
    }
}
