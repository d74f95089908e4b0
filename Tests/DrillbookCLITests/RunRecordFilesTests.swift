import DrillbookTestSupport
import Foundation
import Testing

/// `drillbook run` as processes: concurrent runs keep every record, and a record or JUnit report
/// that cannot be written fails the command, naming the right file.
@Suite("Run records written by the binary")
struct RunRecordFilesTests {
    static func drillFolder(rollback: String = "true") throws -> URL {
        let folder = try temporaryFolder("binary")
        try Data(DrillbookBinary.tinyDrill(rollback: rollback).utf8).write(to: folder.appendingPathComponent("tiny.yaml"))
        return folder
    }

    static func records(in folder: URL) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func twentyConcurrentPairsOfRunsOfOneDrillLeaveFortyRecords() async throws {
        let folder = try Self.drillFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // All 40 at once: each pair (and each run) ends within milliseconds of the others.
        let statuses = try await withThrowingTaskGroup(of: Int32.self) { group in
            for _ in 0..<40 {
                group.addTask { try await DrillbookBinary.run(["run", "./tiny.yaml", "--yes", "--records", "runs"], in: folder).status }
            }
            return try await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 0, count: 40))
        let runs = folder.appendingPathComponent("runs")
        let files = try Self.records(in: runs)
        #expect(files.count == 40, "\(files)")
        #expect(Set(files.map { ($0 as NSString).lastPathComponent }).count == 40)
        for file in files {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: runs.appendingPathComponent(file))) as? [String: Any])
            #expect((record["id"] as? String).map { $0 + ".json" } == (file as NSString).lastPathComponent)
        }
        // No temporary file is left behind.
        let hidden = try FileManager.default.subpathsOfDirectory(atPath: runs.path).filter { ($0 as NSString).lastPathComponent.hasPrefix(".") }
        #expect(hidden.isEmpty, "\(hidden)")
    }

    @Test func aRecordFolderThatCannotBeWrittenExitsOneNamingIt() async throws {
        let folder = try Self.drillFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Tests run as root, so a read-only mode would not stop the write; a regular file as parent does.
        try Data("not a folder\n".utf8).write(to: folder.appendingPathComponent("blocked"))
        let output = try await DrillbookBinary.run(["run", "./tiny.yaml", "--yes", "--records", "blocked/runs"], in: folder)
        #expect(output.status == 1)
        #expect(output.standardOutput.contains("Outcome: PASSED"))
        #expect(!output.standardOutput.contains("Record: "))
        let blocked = folder.appendingPathComponent("blocked").standardizedFileURL.path
        #expect(output.errorLines == ["drillbook: error: could not write the run record under blocked/runs: cannot create folder \(blocked): Not a directory"])
    }

    @Test func aJUnitReportThatCannotBeWrittenExitsOneNamingItAndKeepsTheRecord() async throws {
        let folder = try Self.drillFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("not a folder\n".utf8).write(to: folder.appendingPathComponent("blocked"))
        let output = try await DrillbookBinary.run(["run", "./tiny.yaml", "--yes", "--records", "runs", "--junit", "blocked/report.xml"], in: folder)
        #expect(output.status == 1)
        let blocked = folder.appendingPathComponent("blocked").standardizedFileURL.path
        #expect(output.errorLines == ["drillbook: error: could not write the JUnit report blocked/report.xml: cannot create folder \(blocked): Not a directory"])
        #expect(try Self.records(in: folder.appendingPathComponent("runs")).count == 1)
        #expect(output.standardOutput.contains("Record: "))

        // A file the kernel refuses to create.
        let proc = try await DrillbookBinary.run(["run", "./tiny.yaml", "--yes", "--records", "runs", "--junit", "/proc/drillbook-report.xml"], in: folder)
        #expect(proc.status == 1)
        #expect(proc.errorLines.count == 1)
        #expect(proc.errorLines.first?.hasPrefix("drillbook: error: could not write the JUnit report /proc/drillbook-report.xml: cannot write /proc/drillbook-report.xml: ") == true)
    }

    @Test func bothWrittenAndPassedExitsZero() async throws {
        let folder = try Self.drillFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try await DrillbookBinary.run(["run", "./tiny.yaml", "--yes", "--records", "runs", "--junit", "report.xml"], in: folder)
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.stderr.isEmpty)
        let xml = try String(contentsOf: folder.appendingPathComponent("report.xml"), encoding: .utf8)
        #expect(xml.contains("<testsuites name=\"drillbook\" tests=\"2\" failures=\"0\">"))
    }

    @Test func aFailedRollbackMakesTheJUnitReportFail() async throws {
        let folder = try Self.drillFolder(rollback: "false")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try await DrillbookBinary.run(["run", "./tiny.yaml", "--yes", "--records", "runs", "--junit", "report.xml"], in: folder)
        #expect(output.status == 1)
        #expect(output.standardOutput.contains("Outcome: FAILED"))
        let xml = try String(contentsOf: folder.appendingPathComponent("report.xml"), encoding: .utf8)
        #expect(xml.contains("<testsuites name=\"drillbook\" tests=\"2\" failures=\"1\">"))
        #expect(xml.contains("<failure message=\"failed: rollback action undo failed (exit 1)\" type=\"failed\">"))
        // The criterion itself held.
        #expect(xml.contains("<testcase classname=\"tiny-drill\" name=\"ok\">\n    </testcase>"))
    }
}
