import ArgumentParser
@testable import DrillbookCLI
import DrillbookTestSupport
import Foundation
import Testing

/// Help, tables, messages, exit codes and completions as a terminal user meets them (issue 13,
/// point 7), through the built binary so `COLUMNS` and the process's own output are real.
@Suite("Command line fits the terminal", .serialized)
struct CommandLineTests {
    /// The top-level help and every subcommand's, taken from the command tree so a new command is
    /// checked too.
    static let commands = [""] + DrillbookCommand.configuration.subcommands.compactMap { $0.configuration.commandName }

    static func run(_ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:]) async throws -> BuiltTool.Outcome {
        try await BuiltTool.find().run(arguments, in: folder ?? EndToEndTests.root, environment: environment)
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// Every help text, USAGE line included, fits 80 columns; with 160 the same text uses more.
    /// Negative control: the USAGE lines of build, actions and run were 101–140 columns.
    @Test func everyHelpFitsEightyColumnsAndUsesMoreWhenThereIsRoom() async throws {
        for command in Self.commands {
            let arguments = (command.isEmpty ? [] : [command]) + ["--help"]
            let narrow = try await Self.run(arguments, environment: ["COLUMNS": "80"])
            #expect(narrow.status == 0, "drillbook \(command) --help")
            #expect(Self.lines(narrow.standardOutput).filter { $0.count > 80 } == [], "drillbook \(command) --help")
            #expect(narrow.standardOutput.contains("USAGE: drillbook"))
            let wide = try await Self.run(arguments, environment: ["COLUMNS": "160"])
            #expect(Self.lines(wide.standardOutput).contains { $0.count > 80 }, "drillbook \(command) --help at 160 columns")
        }
    }

    @Test func usageLinesBreakBetweenElements() {
        let usage = Usage.wrapped(
            ["drillbook run <drill>", "[--records <dir>]", "[--dry-run]", "[--yes]", "[--approve <name>]", "[--junit <file>]"],
            width: 50)
        #expect(usage == "drillbook run <drill> [--records <dir>]\n  [--dry-run] [--yes] [--approve <name>]\n  [--junit <file>]")
        #expect(Usage.wrapped(["drillbook check", "[--strict]"], width: 200) == "drillbook check [--strict]")
    }

    /// `drillbook actions` fits 80 columns (titles under their rows, the columns left out named);
    /// with 200 it is one line per item. Negative control: the table was about 140 columns wide.
    @Test func theActionsTableFitsTheTerminal() async throws {
        let arguments = ["actions", "--as-of", "2026-11-29"]
        let narrow = try await Self.run(arguments, environment: ["COLUMNS": "80"])
        #expect(narrow.status == 0)
        let narrowLines = Self.lines(narrow.standardOutput)
        #expect(narrowLines.filter { $0.count > 80 } == [])
        #expect(narrowLines.first == "ID           STATUS                      DUE          AGE    OWNER")
        #expect(narrowLines[1] == "  TITLE")
        #expect(narrowLines.contains("AI-2025-009  in-progress, 361 d overdue  2025-12-03*  389 d  Priya Raman"))
        #expect(narrowLines.contains("  Add an alert on Sentinel quorum loss"))
        #expect(narrowLines.contains("Not shown in 80 columns: PRIORITY, SOURCE (see --format csv)."))
        let wide = try await Self.run(arguments, environment: ["COLUMNS": "200"])
        let wideLines = Self.lines(wide.standardOutput)
        #expect(wideLines.filter { $0.count > 200 } == [])
        #expect(wideLines.first?.hasSuffix("PRIORITY    SOURCE                                     TITLE") == true)
        #expect(!wide.standardOutput.contains("Not shown"))
    }

    /// A mistyped subcommand gets the nearest one. Negative control: "Unexpected argument 'biuld'".
    @Test func mistypedCommandsGetASuggestion() async throws {
        let typo = try await Self.run(["biuld"])
        #expect(typo.status == 2)
        #expect(typo.standardError == "drillbook: error: unknown command 'biuld'; did you mean 'build'? (see drillbook --help)\n")
        let far = try await Self.run(["xyzzy"])
        #expect(far.status == 2)
        #expect(
            far.standardError
                == "drillbook: error: unknown command 'xyzzy'; commands are init, build, serve, check, inspect, actions, run, "
                + "announce, new, corpus, import (see drillbook --help)\n")
        #expect(CommandSuggestion.nearest(to: "chek") == "check")
        #expect(CommandSuggestion.nearest(to: "actoins") == "actions")
        #expect(CommandSuggestion.nearest(to: "ins") == "inspect")
        #expect(CommandSuggestion.nearest(to: "zzz") == nil)
        #expect(CommandSuggestion.message(forUnknown: "build") == nil)
        #expect(CommandSuggestion.message(forUnknown: "--help") == nil)
    }

    /// argument-parser's own messages get the tool's one prefix.
    @Test func everyErrorHasTheOnePrefix() async throws {
        let option = try await Self.run(["build", "--bogus"])
        #expect(option.status == 2)
        #expect(option.standardError.hasPrefix("drillbook: error: Unknown option '--bogus'\n"))
        let value = try await Self.run(["check", "--content", "content", "extra"])
        #expect(value.status == 2)
        #expect(value.standardError.hasPrefix("drillbook: error: "))
        #expect(!value.standardError.contains("Error: "))
    }

    /// 4 for a file or folder that does not exist, 3 for a drill file that exists but is invalid.
    /// Negative control: a missing drill file exited 3.
    @Test func exitCodesAreAsDocumented() async throws {
        let folder = try temporaryFolder("exit-codes")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = try await Self.run(["run", "no-such-drill", "--dry-run"], in: folder)
        #expect(missing.status == 4)
        #expect(missing.standardError == "drillbook: error: no drill file at no-such-drill (nor content/drills/no-such-drill.yaml)\n")
        let missingPath = try await Self.run(["run", "drills/x.yaml", "--dry-run"], in: folder)
        #expect(missingPath.status == 4)
        #expect(missingPath.standardError == "drillbook: error: no drill file at drills/x.yaml\n")
        try Data("id: [unclosed\n".utf8).write(to: folder.appendingPathComponent("bad.yaml"))
        #expect(try await Self.run(["run", "./bad.yaml", "--dry-run"], in: folder).status == 3)
        let content = try await Self.run(["check", "--content", "nowhere"], in: folder)
        #expect(content.status == 4)
        #expect(content.standardError == "drillbook: error: no content folder at nowhere; pass --content DIR\n")
        let inspect = try await Self.run(["inspect", "nothing.json"], in: folder)
        #expect(inspect.status == 4)
        #expect(inspect.standardError == "drillbook: error: no such file: nothing.json\n")
        let theme = try await Self.run(["build", "--content", EndToEndTests.content, "--theme", "no-theme"], in: folder)
        #expect(theme.status == 4)
        let help = try await Self.run(["--help"], environment: ["COLUMNS": "80"])
        #expect(help.standardOutput.contains(ExitCodes.table))
    }

    /// Completions offer drill files, record files, folders and enum values. Negative control:
    /// the script offered no file, folder or value for any of them.
    @Test func completionsOfferFilesFoldersAndValues() async throws {
        let bash = try await Self.run(["--generate-completion-script", "bash"]).standardOutput
        func function(_ name: String) -> String {
            guard let start = bash.range(of: "\n_drillbook_\(name)() {\n") else { return "" }
            let rest = bash[start.upperBound...]
            return String(rest[..<(rest.range(of: "\n}\n")?.lowerBound ?? rest.endIndex)])
        }
        let run = function("run")
        #expect(run.contains("__drillbook_add_completions -o plusdirs -fX '!*.@(yaml|yml)'"))
        #expect(run.contains("'--records')\n        __drillbook_add_completions -d"))
        #expect(run.contains("__drillbook_add_completions -o plusdirs -fX '!*.@(xml)'"))
        #expect(run.contains("__drillbook_add_completions -W 'local'$'\\n''staging'$'\\n''production'"))
        #expect(function("inspect").contains("-fX '!*.@(json|yaml|yml|log|txt)'"))
        #expect(function("build").contains("'--content')\n        __drillbook_add_completions -d"))
        #expect(function("build").contains("'--theme')\n        __drillbook_add_completions -d"))
        #expect(function("actions").contains("-W 'table'$'\\n''csv'$'\\n''json'$'\\n''ics'"))
        #expect(function("actions").contains("'open'$'\\n''in-progress'$'\\n''blocked'"))
        #expect(function("new").contains("-W 'incident'$'\\n''run'$'\\n''drill'"))
        #expect(function("init").contains("__drillbook_add_completions -d"))
        let zsh = try await Self.run(["--generate-completion-script", "zsh"]).standardOutput
        #expect(zsh.contains("_files -g '*.yaml' -g '*.yml'") || zsh.contains("*.yaml"))
    }

    /// A build or corpus prints its steps on standard error when asked (plain lines when not a
    /// terminal), nothing with DRILLBOOK_PROGRESS=never; standard output is the same either way.
    @Test func progressIsPlainLinesOffATerminal() async throws {
        let folder = try temporaryFolder("progress")
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["build", "--content", EndToEndTests.content, "--output", folder.appendingPathComponent("site").path, "--as-of", "2026-11-29"]
        let shown = try await Self.run(arguments, in: folder, environment: ["DRILLBOOK_PROGRESS": "always"])
        #expect(shown.status == 0, "\(shown.standardError)")
        let steps = Self.lines(shown.standardError).filter { !$0.isEmpty }
        #expect(steps.first == "build: load content")
        #expect(steps.contains("build: render pages"))
        #expect(steps.last == "build: swap output")
        #expect(DrillbookBinary.activeCharacters(in: shown.stderr) == [])
        let quiet = try await Self.run(arguments, in: folder, environment: ["DRILLBOOK_PROGRESS": "never"])
        #expect(quiet.standardError == "")
        let corpus = try await Self.run(
            ["corpus", "--playbook", EndToEndTests.content, "--runs", "600", "--incidents", "10", "--output", folder.appendingPathComponent("corpus").path], in: folder,
            environment: ["DRILLBOOK_PROGRESS": "always"])
        #expect(corpus.status == 0, "\(corpus.standardError)")
        #expect(Self.lines(corpus.standardError).filter { !$0.isEmpty } == [
            "corpus: runs 0 of 600", "corpus: runs 250 of 600", "corpus: runs 500 of 600", "corpus: incidents 0 of 10",
            "corpus: flushing to disk",
        ])
        #expect(corpus.standardOutput.hasPrefix("Wrote 13 drills, 600 runs, "))
        // Nothing but the corpus: no temporary file is left beside a record.
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: folder.appendingPathComponent("corpus").path)
            .filter { $0.contains(".corpus-tmp") }
        #expect(leftovers == [])
    }
}
