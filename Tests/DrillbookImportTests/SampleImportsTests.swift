import DrillbookContent
import DrillbookImport
import DrillbookModel
import Foundation
import Testing

/// The sample site's imported runs (`content/runs/2026/2026-12-01-nse-outage-experiment-chaostoolkit*.json`)
/// are exactly what the importer makes today of the real Chaos Toolkit journals committed beside
/// them (`content/imports/chaostoolkit/`, produced by `run-nse-outage.sh`), so neither drifts.
@Suite("The sample site's Chaos Toolkit imports")
struct SampleImportsTests {
    static let content = ChaosToolkitInstall.package.appendingPathComponent("content")

    static func imported(_ variant: String, id: String) throws -> (record: Data, run: DrillRun, warnings: [String]) {
        let journal = content.appendingPathComponent("imports/chaostoolkit/2026-12-01-nse-outage-" + variant + ".journal.json")
        let imported = try ChaosToolkitJournal(data: try Data(contentsOf: journal), file: journal.lastPathComponent, drillId: "nse-outage-experiment")
        var run = imported.run
        run.id = id
        return (try Data(contentsOf: content.appendingPathComponent("runs/2026/" + id + ".json")), run, imported.warnings)
    }

    @Test(arguments: [("passing", "2026-12-01-nse-outage-experiment-chaostoolkit"), ("deviated", "2026-12-01-nse-outage-experiment-chaostoolkit-2")])
    func theRecordIsTheImportOfItsJournal(variant: String, id: String) throws {
        let (record, run, warnings) = try Self.imported(variant, id: id)
        #expect(warnings == [])
        #expect(String(decoding: try RecordJSON.encode(run), as: UTF8.self) == String(decoding: record, as: UTF8.self))
    }

    /// The deviated run is the negative control of the passing one: with the service's fallback
    /// off (`--fallback off`), the hypothesis' "active provider is up" misses after the method.
    @Test func thePassingRunMeetsEveryCriterionAndTheDeviatedOneMissesTheAfterState() throws {
        let passing = try Self.imported("passing", id: "2026-12-01-nse-outage-experiment-chaostoolkit").run
        let deviated = try Self.imported("deviated", id: "2026-12-01-nse-outage-experiment-chaostoolkit-2").run
        #expect(passing.outcome == .passed)
        #expect(passing.criteria.map(\.verdict) == [.met, .met, .met, .met])
        #expect(deviated.outcome == .failed)
        #expect(deviated.criteria.map(\.criterionId) == [
            "steady-state-before-market-service-serves-a-quote", "steady-state-before-the-active-provider-is-up",
            "steady-state-after-market-service-serves-a-quote", "steady-state-after-the-active-provider-is-up",
        ])
        #expect(deviated.criteria.map(\.verdict) == [.met, .met, .met, .missed])
        #expect(deviated.criteria[3].note?.contains("'NSE': False") == true)
        #expect(deviated.importedFrom == "Chaos Toolkit (chaoslib 1.44.0) journal 2026-12-01-nse-outage-deviated.journal.json")
    }
}
