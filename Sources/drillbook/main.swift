import ArgumentParser
import DrillbookCLI

await DrillbookCommand.main()
