import DrillbookCLI
import Foundation

exit(await DrillbookCommand.runAsMain())
