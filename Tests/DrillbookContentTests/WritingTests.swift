import DrillbookContent
import DrillbookModel
import Foundation
import Testing

@Suite struct WritingTests {
    let validRun = fixtures.appendingPathComponent("valid/runs/2026/q1/2026-02-04-redis-sentinel-failover.json")
    let canonical = fixtures.appendingPathComponent("canonical/2026-02-04-redis-sentinel-failover.json")

    func run(at url: URL) throws -> DrillRun {
        guard case .run(let run) = try ContentLoader(contentDirectory: fixtures).loadRecord(at: url).get() else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return run
    }

    @Test func recordJSONRoundTripsARunByteIdentically() throws {
        let encoded = try RecordJSON.encode(try run(at: validRun))
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/canonical/2026-02-04-redis-sentinel-failover.json")
            try AtomicFile.write(encoded, to: source)
        }
        let stored = try Data(contentsOf: canonical)
        #expect(encoded == stored, "re-record with RECORD_SNAPSHOTS=1 if the canonical form changed on purpose")
        // Reading the canonical form and writing it again gives the same bytes.
        let again = try RecordJSON.encode(try run(at: canonical))
        #expect(again == stored)
    }

    @Test func recordJSONIsSortedUnescapedAndEndsWithANewline() throws {
        let metric = Metric(name: "b", value: 1.5, unit: "ms/req", note: "a/b")
        let text = String(decoding: try RecordJSON.encode(metric), as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("ms/req"))
        #expect(!text.contains("\\/"))
        let keys = ["\"name\"", "\"note\"", "\"unit\"", "\"value\""].map { text.range(of: $0)!.lowerBound }
        #expect(keys == keys.sorted())
    }

    @Test func normalisedIncidentJSON() throws {
        let loader = ContentLoader(contentDirectory: fixtures)
        guard case .incident(let incident) = try loader.loadRecord(at: fixtures.appendingPathComponent("valid/incidents/INC-2026-014.txt")).get()
        else { Issue.record("not an incident"); return }
        let object = try #require(try JSONSerialization.jsonObject(with: IncidentNormalisedJSON.encode(incident)) as? [String: Any])
        #expect(object["id"] as? String == "INC-2026-014")
        #expect(object["severity"] as? String == "P3")
        #expect(object["declaredAt"] as? String == "2026-03-18T08:32:00Z")
        #expect(object["resolvedAt"] as? String == "2026-03-18T09:17:00Z")
        #expect(object["durationSeconds"] as? Double == 2700)
        let updates = try #require(object["updates"] as? [[String: Any]])
        #expect(updates.first?["at"] as? String == "2026-03-18T08:50:00Z")
        #expect(object["extra"] as? [String: String] == ["Reporter": "Asha Iyer"])
        #expect(object.keys.contains("rootCause"))
        #expect(object.keys.contains("escalatedAt"))

        guard case .incident(let open) = try loader.loadRecord(at: fixtures.appendingPathComponent("valid/incidents/INC-2026-009.json")).get()
        else { Issue.record("not an incident"); return }
        let openObject = try #require(try JSONSerialization.jsonObject(with: IncidentNormalisedJSON.encode(open)) as? [String: Any])
        #expect(openObject["resolvedAt"] is NSNull)
        #expect(openObject["durationSeconds"] is NSNull)
        #expect((openObject["updates"] as? [Any])?.isEmpty == true)
    }

    @Test func atomicWriteCreatesFoldersReplacesAndLeavesNoTemporaryFiles() throws {
        let scratch = try ScratchContent([:])
        defer { scratch.remove() }
        let target = scratch.root.appendingPathComponent("runs/2026/q3/new.json")
        try AtomicFile.write(Data("first\n".utf8), to: target)
        try AtomicFile.write(Data("second\n".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "second\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path)
        #expect(names == ["new.json"])
    }

    @Test func atomicWriteFailureLeavesNothingBehind() throws {
        let scratch = try ScratchContent([:])
        defer { scratch.remove() }
        let folder = scratch.root.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("taken.json"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("taken.json/inner"), withIntermediateDirectories: true)
        #expect(throws: AtomicFileError.self) { try AtomicFile.write(Data("x".utf8), to: folder.appendingPathComponent("taken.json")) }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names == ["taken.json"])
    }
}
