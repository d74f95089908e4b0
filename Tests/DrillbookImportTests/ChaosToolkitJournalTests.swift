import DrillbookImport
import Foundation
import Testing
