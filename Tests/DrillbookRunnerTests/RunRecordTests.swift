@testable import DrillbookRunner
import Dispatch
import DrillbookContent
import DrillbookModel
import DrillbookTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Run records and JUnit reports")
struct RunRecordTests {
    static let start = Timestamp(iso8601: "2026-03-02T10:15:00+05:30")!

    static func run(_ outcome: RunOutcome = .passed, abortReason: String? = nil, observations: [String] = [], criteria: [CriterionResult] = []) -> DrillRun {
        DrillRun(
            id: RunRecordId.executed(drillId: "tiny-drill", startedAt: start), drillId: "tiny-drill", environment: "local",
            startedAt: start, endedAt: start.adding(seconds: 2), outcome: outcome, abortReason: abortReason,
            criteria: criteria, observations: observations)
    }

    // MARK: - Exclusive records

    @Test func fortyConcurrentWritersOfOneDrillAndDayGetFortyRecords() throws {
        let folder = try temporaryFolder("records")
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = RunRecordWriter(directory: folder)
        let run = Self.run()
        let results = Mutex<[Result<String, any Error>]>([])
        // Real threads, so the writers race for the same names.
        DispatchQueue.concurrentPerform(iterations: 40) { _ in
            let result = Result { try writer.write(run) }.map { $0.url.lastPathComponent + " " + $0.run.id }
            results.withLock { $0.append(result) }
        }
        let written = try results.withLock { try $0.map { try $0.get() } }
        #expect(written.count == 40)
        let day = folder.appendingPathComponent("2026")
        let files = try FileManager.default.contentsOfDirectory(atPath: day.path).sorted()
        #expect(files.count == 40, "files: \(files)")
        #expect(Set(files) == Set(["2026-03-02-tiny-drill.json"] + (2...40).map { "2026-03-02-tiny-drill-\($0).json" }))
        // Each record's id is its file name, as the writer returned it.
        for file in files {
            let decoded = try JSONDecoder().decode(DrillRun.self, from: Data(contentsOf: day.appendingPathComponent(file)))
            #expect(decoded.id + ".json" == file)
        }
        #expect(Set(written) == Set(files.map { $0 + " " + $0.dropLast(".json".count) }))
    }

    @Test func aTakenNameIsNeverReplaced() throws {
        let folder = try temporaryFolder("records")
        defer { try? FileManager.default.removeItem(at: folder) }
        let taken = folder.appendingPathComponent("2026/2026-03-02-tiny-drill.json")
        try FileManager.default.createDirectory(at: taken.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("keep me\n".utf8).write(to: taken)
        let written = try RunRecordWriter(directory: folder).write(Self.run())
        #expect(written.url.lastPathComponent == "2026-03-02-tiny-drill-2.json")
        #expect(written.run.id == "2026-03-02-tiny-drill-2")
        #expect(try String(contentsOf: taken, encoding: .utf8) == "keep me\n")
        // The primitive itself: EEXIST, the old bytes intact, no temporary file left.
        do {
            try AtomicFile.create(Data("new\n".utf8), at: taken)
            Issue.record("create replaced an existing file")
        } catch let error as AtomicFileError {
            #expect(error.fileExists)
            #expect(error.description.hasPrefix("cannot create " + taken.path + ": "))
        }
        #expect(try String(contentsOf: taken, encoding: .utf8) == "keep me\n")
        let names = try FileManager.default.contentsOfDirectory(atPath: taken.deletingLastPathComponent().path).sorted()
        #expect(names == ["2026-03-02-tiny-drill-2.json", "2026-03-02-tiny-drill.json"])
    }

    @Test func theEngineAndTheWriterAgreeOnTheId() {
        #expect(RunRecordId.executed(drillId: "tiny-drill", startedAt: Self.start) == "2026-03-02-tiny-drill")
        #expect(RunRecordId.executed(drillId: "tiny-drill", startedAt: Self.start, attempt: 3) == "2026-03-02-tiny-drill-3")
    }

    @Test func anUnwritableRecordFolderIsAnErrorNamingIt() throws {
        // Tests run as root, so permissions do not stop a write; a regular file as a parent does.
        let folder = try temporaryFolder("records")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let records = file.appendingPathComponent("runs")
        do {
            try RunRecordWriter(directory: records).write(Self.run())
            Issue.record("the record was written under a regular file")
        } catch let error as AtomicFileError {
            #expect(error.description == "cannot create folder \(file.path): Not a directory")
        }
        do {
            try RunRecordWriter.atomicWrite(Data("x".utf8), to: file.appendingPathComponent("report.xml"))
            Issue.record("a file was written under a regular file")
        } catch let error as AtomicFileError {
            #expect(error.description == "cannot create folder \(file.path): Not a directory")
        }
    }

    // MARK: - JUnit

    static let met = CriterionResult(criterionId: "fast", text: "Fast", metric: "s", comparison: .lessThan, target: 1, unit: "s", actual: 0.5, verdict: .met)
    static let missed = CriterionResult(criterionId: "safe", text: "Safe", metric: "lost", comparison: .equal, target: 0, unit: "count", actual: 3, verdict: .missed)

    static func failures(in xml: String) -> [String] {
        xml.components(separatedBy: "\n").filter { $0.contains("<testsuites ") || $0.contains("<testsuite ") }
            .compactMap { line in line.components(separatedBy: "failures=\"").dropFirst().first?.components(separatedBy: "\"").first }
    }

    @Test func aPassedRunIsGreen() {
        let xml = JUnitReport.xml(for: Self.run(.passed, criteria: [Self.met]))
        #expect(Self.failures(in: xml) == ["0", "0"])
        #expect(!xml.contains("<failure"))
        #expect(xml.contains("tests=\"2\""))
        #expect(xml.contains("<testcase classname=\"tiny-drill\" name=\"outcome\">\n    </testcase>"))
        #expect(xmlError(xml) == nil)
    }

    @Test func aFailedRunFailsEvenWhenEveryCriterionWasMet() {
        let run = Self.run(.failed, observations: ["Failure: rollback action undo failed: exit status 1 (no such service)"], criteria: [Self.met])
        let xml = JUnitReport.xml(for: run)
        #expect(Self.failures(in: xml) == ["1", "1"])
        #expect(xml.contains(
            "<failure message=\"failed: rollback action undo failed: exit status 1 (no such service)\" type=\"failed\">"
                + "rollback action undo failed: exit status 1 (no such service)</failure>"))
        #expect(xmlError(xml) == nil)
    }

    @Test func anAbortedRunFailsWithItsReason() {
        let run = Self.run(
            .aborted, abortReason: "steady state did not hold before the fault (always: exit 1); no fault was injected",
            criteria: [CriterionResult(criterionId: "ok", text: "OK", verdict: .notMeasured)])
        let xml = JUnitReport.xml(for: run)
        #expect(Self.failures(in: xml) == ["2", "2"])
        #expect(xml.contains("<failure message=\"aborted: steady state did not hold before the fault (always: exit 1); no fault was injected\" type=\"aborted\">"))
        #expect(xml.contains("&#10;OK: actual not measured, target none</failure>"))
        #expect(xml.contains("type=\"not-measured\""))
        #expect(xmlError(xml) == nil)
    }

    @Test func anAbortedRunWhoseRollbackFailedNamesBoth() {
        let run = Self.run(.aborted, abortReason: "interrupted by SIGTERM", observations: ["Rollback ran.", "Failure: rollback action restart failed: timed out after 30 s"])
        let xml = JUnitReport.xml(for: run)
        #expect(Self.failures(in: xml) == ["1", "1"])
        #expect(xml.contains("<failure message=\"aborted: interrupted by SIGTERM\" type=\"aborted\">interrupted by SIGTERM&#10;rollback action restart failed: timed out after 30 s</failure>"))
    }

    @Test func aMissedCriterionCountsBesideTheOutcome() {
        let xml = JUnitReport.xml(for: Self.run(.failed, criteria: [Self.met, Self.missed]))
        #expect(Self.failures(in: xml) == ["2", "2"])
        #expect(xml.contains("<failure message=\"failed: Safe: actual 3 count, target = 0 count\" type=\"failed\">Safe: actual 3 count, target = 0 count</failure>"))
        #expect(xml.contains("<failure message=\"Safe: actual 3 count, target = 0 count\" type=\"missed\"/>"))
    }

    @Test func commandOutputCannotBreakTheReport() {
        let reason = "probe printed \u{1B}]0;x\u{7} \u{0}<b>&\"'\r\n\u{FFFE}"
        let xml = JUnitReport.xml(for: Self.run(.aborted, abortReason: reason))
        #expect(xmlError(xml) == nil)
        #expect(xml.contains("probe printed \u{FFFD}]0;x\u{FFFD} \u{FFFD}&lt;b&gt;&amp;&quot;&#39;&#13;&#10;\u{FFFD}"))
    }
}

