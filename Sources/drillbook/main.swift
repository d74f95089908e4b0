import ArgumentParser
import DrillbookCLI

/// Calls the asynchronous entry point explicitly: in top-level code the synchronous `main()`
/// would otherwise win overload resolution and refuse to run async subcommands.
func runDrillbook() async {
    await DrillbookCommand.main()
}

await runDrillbook()
