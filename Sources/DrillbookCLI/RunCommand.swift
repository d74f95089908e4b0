public import ArgumentParser
import DrillbookContent
import DrillbookModel
import DrillbookRunner
import Foundation

/// `drillbook run DRILL.yaml`: runs a drill for real, always rolls back, writes the record.
public struct RunCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a drill on this machine, measure recovery, roll back and write the run record.",
        usage: Usage.wrapped([
            "drillbook run <drill>", "[--records <dir>]", "[--dry-run]", "[--yes]", "[--approve <name>]",
            "[--junit <file>]", "[--environment <environment>]", "[--environment-file <file>]",
        ]),
        discussion: """
            Exit codes: 0 passed, 1 failed or aborted, or the record or the JUnit report could not be \
            written (the message names the file), 2 refused or bad usage (also: no environment file \
            for --environment, a target outside the environment's hosts, an unset secret), 3 the drill \
            file or the environment file is invalid, 4 no drill file at that path (nor \
            content/drills/<id>.yaml).

            --environment NAME (other than local) runs the drill against that environment: its file \
            content/environments/NAME.yaml (beside the drill's drills/ folder, else under the current \
            folder) gives its hosts, the values of the drill's variables and what replaces the local \
            servers; every probe, action and load step aimed at a host it does not list is refused \
            before anything is sent. ${secret:NAME} in a drill or environment file is read from the \
            environment variable NAME when used and never printed or recorded.

            A real run writes its record into content/runs/ (--records), so it counts in the \
            site's figures once committed: try a drill out with --records /tmp/trial-runs to keep \
            the trial out of the records repository. Runs realised on this machine are recorded as \
            local and counted apart from drills held in the environment itself.

            Records are never overwritten: when the day already has a record of the drill, or another \
            run claims the name at the same moment, the next free name is taken (-2, -3, …) and the \
            record's id follows it. Text from the drill and its commands is printed with control \
            characters escaped (\\u{1B} for ESC).

            Examples:
              drillbook run content/drills/redis-sentinel-failover.yaml --dry-run
              drillbook run content/drills/redis-sentinel-failover.yaml --yes
              drillbook run content/drills/sudden-order-burst.yaml --yes --junit report.xml
              drillbook run drills/checkout.yaml --approve "Priya Shah"
            """
    )

    @Argument(
        help: "The drill definition (YAML), or a drill id looked up in content/drills/.",
        completion: .file(extensions: ["yaml", "yml"]))
    public var drill: String

    @Option(
        help: ArgumentHelp("Folder the run record is written under (<DIR>/<YYYY>/<date>-<drill>[-N].json).", valueName: "dir"),
        completion: .directory)
    public var records: String = "content/runs"

    @Flag(help: "Print the plan (steps, probes, timeouts, rollback) and touch nothing.")
    public var dryRun = false

    @Flag(help: "Do not ask for confirmation (needed when standard input is not a terminal).")
    public var yes = false

    @Option(help: ArgumentHelp("Name of the person approving a production run; recorded in the run.", valueName: "name"))
    public var approve: String?

    @Option(
        help: ArgumentHelp(
            "Also write a JUnit XML report to this file: a test case for the outcome (failed unless passed), one per criterion.",
            valueName: "file"),
        completion: .file(extensions: ["xml"]))
    public var junit: String?

    @Option(
        help: "The environment this run targets, recorded in the run (default local: the steps run on this machine); any other name needs its file, content/environments/<name>.yaml; a name starting with prod needs --approve.",
        completion: .list(["local", "staging", "production"]))
    public var environment: String?

    @Option(
        help: ArgumentHelp("Run against the environment this file describes (its name is recorded).", valueName: "file"),
        completion: .file(extensions: ["yaml", "yml"]))
    public var environmentFile: String?

    public init() {}

    public func run() async throws {
        TerminalStreams.ignoreBrokenPipes()
        let url = DrillArgument.url(for: drill)
        let definition: DrillDefinition
        do {
            let checked = try DrillFileReader.readChecked(url)
            definition = checked.drill
            for warning in checked.warnings { printError(warning.description) }
        } catch {
            for issue in error.issues { printError(issue.description) }
            throw ExitCode(3)
        }
        if let refusal = DrillPreflight.check(definition, environment: environment, approvedBy: approve) {
            printError("refused: " + refusal.message)
            throw ExitCode(2)
        }
        let target = try targetEnvironment(drillFile: url)
        if let refusal = DrillPreflight.check(definition, environment: environment, approvedBy: approve, file: target?.environment) {
            printError("refused: " + refusal.message)
            throw ExitCode(2)
        }
        let drillToRun = try realised(definition, in: target, drillFile: url)
        // The plan, the confirmation and the status line fit the terminal (80 columns when
        // standard output is not one and COLUMNS is unset), as tables and help do.
        let width = TerminalWidth.current() ?? 80
        if dryRun {
            say(DrillPlan.text(for: drillToRun, environment: environment, file: target?.environment, width: width) + "\n")
            return
        }
        if let refusal = DrillPreflight.unsetSecrets(drillToRun) {
            printError("refused: " + refusal.message)
            throw ExitCode(2)
        }
        say(DrillPlan.confirmation(for: drillToRun, width: width) + "\n")
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else {
                // Two short lines rather than one of 129 columns: the refusal, then what to do.
                printError("refused: standard input is not a terminal")
                Diagnostics.printError(Diagnostics.notePrefix + "confirm the checklists above and run again with --yes")
                throw ExitCode(2)
            }
            say("Start the drill now? Type yes to confirm: ")
            guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
                printError("not confirmed: nothing was started")
                throw ExitCode(2)
            }
        }
        let printer = ProgressPrinter(live: ProgressPrinter.standardOutputIsLive, columns: width)
        let interrupts = SignalInterrupts { [printer] signal in printer.interrupted(by: signal) }
        defer { interrupts.stop() }
        let settings = RunSettings(
            environment: environment, approvedBy: approve, runBy: Self.userName,
            utcOffsetSeconds: TimeZone.current.secondsFromGMT()
        ).targeting(target?.environment)
        let ticker = printer.startTicking()
        let (run, _) = await DrillRunner(observer: printer, interrupts: interrupts).run(drillToRun, drillFile: url, settings: settings)
        ticker.cancel()
        printer.finish()
        let written = Self.writeFiles(of: run, records: records, junit: junit)
        say(ProgressPrinter.summary(of: written.run, recordPath: written.recordPath))
        for message in written.errors { printError(message) }
        if run.outcome != .passed || !written.errors.isEmpty { throw ExitCodes.contentErrors }
    }

    /// Writes the record under `records` and, when asked, the JUnit report of the record as
    /// written (its id is the record's file name). Each file is tried even when the other fails;
    /// `errors` has one message per file that could not be written, naming that file.
    static func writeFiles(of run: DrillRun, records: String, junit: String?) -> (run: DrillRun, recordPath: String?, errors: [String]) {
        var record = run
        var recordPath: String?
        var errors: [String] = []
        do {
            let written = try RunRecordWriter(directory: URL(fileURLWithPath: records)).write(run)
            record = written.run
            recordPath = written.url.path
        } catch {
            errors.append("could not write the run record under \(records): \(error)")
        }
        if let junit {
            do {
                try RunRecordWriter.atomicWrite(Data(JUnitReport.xml(for: record).utf8), to: URL(fileURLWithPath: junit))
            } catch {
                errors.append("could not write the JUnit report \(junit): \(error)")
            }
        }
        return (record, recordPath, errors)
    }

    static var userName: String {
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }
}

/// Writes to standard output unbuffered, so it interleaves correctly with live progress; control
/// characters from the drill are shown escaped (`Diagnostics.writeOut(block:)`).
func say(_ text: String) {
    Diagnostics.writeOut(block: text)
}

/// `drillbook: error: MESSAGE` as one line on standard error, inert (`Diagnostics.printError`).
func printError(_ message: String) {
    Diagnostics.printError(Diagnostics.errorPrefix + message)
}
