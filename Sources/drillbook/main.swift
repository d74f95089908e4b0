import ArgumentParser
import DrillbookCLI
import Foundation

/// Parses and runs the command through the asynchronous path (in top-level code the synchronous
/// `main()` would win overload resolution and refuse async subcommands), and reports usage errors
/// with exit code 2, as documented, instead of argument-parser's 64.
func runDrillbook() async {
    do {
        var command = try DrillbookCommand.parseAsRoot()
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        if DrillbookCommand.exitCode(for: error) == .validationFailure {
            FileHandle.standardError.write(Data((DrillbookCommand.fullMessage(for: error) + "\n").utf8))
            exit(2)
        }
        DrillbookCommand.exit(withError: error)
    }
}

await runDrillbook()
