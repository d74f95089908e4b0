import DrillbookContent
import DrillbookImport
import DrillbookModel
import Foundation
import Testing

/// A journal Chaos Toolkit 1.19.0 (chaoslib 1.44.0) wrote for an experiment whose steady state
/// deviated (`Fixtures/run-chaostoolkit.sh`, `node` replaced by `test-host`).
enum JournalFixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static var deviated: Data { FileManager.default.contents(atPath: folder.appendingPathComponent("deviated-journal.json").path) ?? Data() }

    /// The fixture with `change` applied to its top-level object.
    static func edited(_ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: deviated) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

@Suite("Chaos Toolkit journals")
struct ChaosToolkitJournalTests {
    @Test func aDeviatedJournalIsAFailedRunWithTheAfterCriterionMissed() throws {
        let imported = try ChaosToolkitJournal(data: JournalFixture.deviated, file: "deviated.json", drillId: "static-health")
        let run = imported.run
        #expect(imported.warnings == [])
        #expect(run.outcome == .failed)
        #expect(run.id == "2026-12-01-static-health-chaostoolkit")
        #expect(run.importedFrom == "Chaos Toolkit (chaoslib 1.44.0) journal deviated.json")
        #expect(run.criteria.map(\.criterionId) == ["steady-state-before-health-endpoint-answers-200", "steady-state-after-health-endpoint-answers-200"])
        #expect(run.criteria.map(\.verdict) == [.met, .missed])
        #expect(run.criteria[1].note == "Observed: succeeded, HTTP 404, output `<!DOCTYPE HTML>`. Tolerance: `200`.")
        let events = run.timeline.map(\.event)
        #expect(events.contains("fault.injected"))
        #expect(events.contains("method.action.remove-health.succeeded"))
        #expect(events.contains("rollback.action.restore-health.succeeded"))
        #expect(events.contains("steadyState.deviated"))
        #expect(run.timeline.map(\.at) == run.timeline.map(\.at).sorted())
        #expect(run.series.map(\.name) == ["health endpoint answers 200"])
        #expect(run.series[0].points.map(\.ok) == [true, false])
        #expect(run.metrics.map(\.name) == ["experiment_seconds"])
        #expect(run.durationSeconds >= 0)
        // The record is valid drillbook content.
        let data = try RecordJSON.encode(run)
        #expect(try JSONDecoder().decode(DrillRun.self, from: data) == run)
    }

    @Test(arguments: [
        ("completed", false, RunOutcome.passed), ("completed", true, .failed), ("failed", false, .failed),
        ("aborted", false, .aborted), ("interrupted", false, .aborted), ("interrupted", true, .aborted),
    ])
    func statusAndDeviatedGiveTheOutcome(status: String, deviated: Bool, outcome: RunOutcome) throws {
        let data = try JournalFixture.edited {
            $0["status"] = status
            $0["deviated"] = deviated
        }
        let run = try ChaosToolkitJournal(data: data, file: "j.json").run
        #expect(run.outcome == outcome)
        #expect((run.abortReason != nil) == (outcome == .aborted))
    }

    @Test func anUnknownStatusIsAFailedRunAndAWarning() throws {
        let data = try JournalFixture.edited { $0["status"] = "exploded" }
        let imported = try ChaosToolkitJournal(data: data, file: "j.json")
        #expect(imported.run.outcome == .failed)
        #expect(imported.warnings == [
            "j.json: $.status: expected completed, failed, aborted or interrupted, found \"exploded\"; recorded as failed"
        ])
    }

    @Test func unknownFieldsAreKeptInTheOutputsAndReported() throws {
        let data = try JournalFixture.edited { $0["x-team"] = ["name": "payments", "oncall": 3] }
        let imported = try ChaosToolkitJournal(data: data, file: "j.json")
        #expect(imported.warnings == ["j.json: $.x-team: not a field chaoslib writes; kept in the record's outputs as journal.x-team"])
        let kept = try #require(imported.run.outputs.first { $0.step == "journal.x-team" })
        #expect(kept.output == "{\"name\":\"payments\",\"oncall\":3}")
    }

    /// Inside activities too (a method step, its activity, a rollback, a steady-state probe): each
    /// field chaoslib does not write is one warning with its path and kept as an output.
    @Test func unknownFieldsInsideActivitiesAreKeptAndReported() throws {
        let data = try JournalFixture.edited {
            func edit(_ list: Any?, _ index: Int, _ change: (inout [String: Any]) -> Void) -> [Any] {
                var items = list as? [Any] ?? []
                var item = items[index] as? [String: Any] ?? [:]
                change(&item)
                items[index] = item
                return items
            }
            $0["run"] = edit($0["run"], 1) { entry in
                entry["x-retries"] = 2
                var activity = entry["activity"] as? [String: Any] ?? [:]
                activity["foo"] = ["bar": true]
                entry["activity"] = activity
            }
            $0["rollbacks"] = edit($0["rollbacks"], 0) { $0["x-note"] = "restored by hand" }
            var states = $0["steady_states"] as? [String: Any] ?? [:]
            var before = states["before"] as? [String: Any] ?? [:]
            before["probes"] = edit(before["probes"], 0) { entry in
                var activity = entry["activity"] as? [String: Any] ?? [:]
                activity["weight"] = 0.5
                entry["activity"] = activity
            }
            states["before"] = before
            $0["steady_states"] = states
        }
        let imported = try ChaosToolkitJournal(data: data, file: "j.json")
        #expect(imported.warnings == [
            "j.json: $.steady_states.before.probes[0].activity.weight: not a field chaoslib writes; kept in the record's outputs as journal.steady_states.before.probes[0].activity.weight",
            "j.json: $.run[1].x-retries: not a field chaoslib writes; kept in the record's outputs as journal.run[1].x-retries",
            "j.json: $.run[1].activity.foo: not a field chaoslib writes; kept in the record's outputs as journal.run[1].activity.foo",
            "j.json: $.rollbacks[0].x-note: not a field chaoslib writes; kept in the record's outputs as journal.rollbacks[0].x-note",
        ])
        let kept = Dictionary(imported.run.outputs.map { ($0.step, $0.output) }, uniquingKeysWith: { first, _ in first })
        #expect(kept["journal.run[1].activity.foo"] == "{\"bar\":true}")
        #expect(kept["journal.run[1].x-retries"] == "2")
        #expect(kept["journal.rollbacks[0].x-note"] == "\"restored by hand\"")
        #expect(kept["journal.steady_states.before.probes[0].activity.weight"] == "0.5")
        // The activities still import as before: same criteria and outcome.
        let plain = try ChaosToolkitJournal(data: try JournalFixture.edited { _ in }, file: "j.json")
        #expect(imported.run.criteria == plain.run.criteria)
        #expect(imported.run.outcome == plain.run.outcome)
        #expect(plain.warnings == [])
    }

    @Test func anAfterStateNeverCheckedLeavesItsCriterionNotMeasured() throws {
        let data = try JournalFixture.edited {
            var states = $0["steady_states"] as? [String: Any] ?? [:]
            states["after"] = NSNull()
            $0["steady_states"] = states
            $0["status"] = "aborted"
        }
        let run = try ChaosToolkitJournal(data: data, file: "j.json").run
        #expect(run.criteria.map(\.verdict) == [.met, .notMeasured])
        #expect(run.criteria[1].note == "Not measured: the steady state was not checked after the method (status aborted).")
    }

    @Test(arguments: [
        ("not json", "j.json: $: expected a JSON object (a Chaos Toolkit journal), but the file is not valid JSON"),
        ("[1, 2]", "j.json: $: expected an object, found a list"),
        ("{}", "j.json: $.start: expected a value, but the key is missing"),
        ("{\"start\": 12}", "j.json: $.start: expected a string, found the number 12"),
        ("{\"start\": \"yesterday\"}", "j.json: $.start: expected a date and time like 2026-12-01T18:40:00.123456+00:00, found \"yesterday\""),
        ("{\"start\": \"2026-12-01T10:00:00Z\", \"deviated\": \"no\"}", "j.json: $.deviated: expected true or false, found \"no\""),
        ("{\"start\": \"2026-12-01T10:00:00Z\", \"run\": {}}", "j.json: $.run: expected a list, found an object"),
        ("{\"start\": \"2026-12-01T10:00:00Z\", \"run\": [{\"activity\": {\"name\": 7}}]}", "j.json: $.run[0].activity.name: expected a string, found the number 7"),
        ("{\"start\": \"2026-12-01T10:00:00Z\", \"rollbacks\": [{}]}", "j.json: $.rollbacks[0].activity: expected a value, but the key is missing"),
        ("{\"start\": \"2026-12-01T10:00:00Z\", \"duration\": -3}", "j.json: $.duration: expected a number of seconds, found the number -3"),
        ("{\"start\": \"2026-12-01T10:00:00Z\", \"steady_states\": {\"before\": {\"probes\": [{\"activity\": {\"name\": \"p\"}, \"tolerance_met\": 1}]}}}",
         "j.json: $.steady_states.before.probes[0].tolerance_met: expected true or false, found the number 1"),
    ])
    func badJournalsAreLocatedErrors(text: String, message: String) {
        #expect(throws: JournalError.self) { try ChaosToolkitJournal(data: Data(text.utf8), file: "j.json") }
        do {
            _ = try ChaosToolkitJournal(data: Data(text.utf8), file: "j.json")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func instantsAsChaoslibWritesThem() {
        #expect(JournalInstants.seconds("2026-12-01T18:51:39.275246+00:00") == 1_796_151_099.275)
        #expect(JournalInstants.seconds("2026-12-01T20:21:39.275+01:30") == 1_796_151_099.275)
        #expect(JournalInstants.seconds("2026-12-01T18:51:39") == 1_796_151_099)
        for bad in ["2026-13-01T00:00:00", "2026-12-01", "2026-12-01T18:51:39.+00:00", "2026-12-01T18:51:39+0000", "２０２６-12-01T18:51:39"] {
            #expect(JournalInstants.seconds(bad) == nil, "\(bad)")
        }
    }

    /// Every prefix of a real journal, and the journal with values swapped for values of other
    /// kinds, either imports or fails with a located error; nothing crashes.
    @Test func truncatedAndMangledJournalsNeverCrash() throws {
        let journal = JournalFixture.deviated
        var checked = 0
        func check(_ data: Data) {
            checked += 1
            do {
                _ = try ChaosToolkitJournal(data: data, file: "fuzz.json")
            } catch {
                #expect(error.description.hasPrefix("fuzz.json: $"), "\(error.description)")
                #expect(error.description.contains(": expected "), "\(error.description)")
            }
        }
        for length in stride(from: 0, to: journal.count, by: 23) { check(journal.prefix(length)) }
        // Mangling: each value in turn replaced by each of a few values of other kinds.
        let root = try #require(try JSONSerialization.jsonObject(with: journal) as? [String: Any])
        let replacements: [Any] = [NSNull(), -1.5, "text", ["k": "v"]]
        func paths(_ value: Any, _ prefix: [Any]) -> [[Any]] {
            var found: [[Any]] = [prefix]
            if let object = value as? [String: Any] {
                for (key, child) in object { found += paths(child, prefix + [key]) }
            } else if let array = value as? [Any] {
                for (index, child) in array.enumerated() { found += paths(child, prefix + [index]) }
            }
            return found
        }
        func replacing(_ value: Any, at path: ArraySlice<Any>, with new: Any) -> Any {
            guard let first = path.first else { return new }
            if var object = value as? [String: Any], let key = first as? String {
                object[key] = replacing(object[key] ?? NSNull(), at: path.dropFirst(), with: new)
                return object
            }
            if var array = value as? [Any], let index = first as? Int, array.indices.contains(index) {
                array[index] = replacing(array[index], at: path.dropFirst(), with: new)
                return array
            }
            return value
        }
        for path in paths(root, []) where !path.isEmpty {
            for new in replacements {
                let mangled = replacing(root, at: path[...], with: new)
                check(try JSONSerialization.data(withJSONObject: mangled))
            }
        }
        #expect(checked > 500)
    }
}

/// The instant parser, through the public initializer (a journal with only `start`).
enum JournalInstants {
    static func seconds(_ text: String) -> Double? {
        let json = "{\"start\": " + JSONText(text) + ", \"status\": \"completed\"}"
        return (try? ChaosToolkitJournal(data: Data(json.utf8), file: "t.json"))?.run.startedAt.secondsSince1970
    }

    static func JSONText(_ text: String) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: [text])) ?? Data(), as: UTF8.self).dropFirst().dropLast().description
    }
}
