import DrillbookContent
import DrillbookImport
import DrillbookModel
import DrillbookSite
import Foundation
import Testing

/// Chaos Toolkit itself, installed by pip into `.build/chaostoolkit-venv` (kept between runs), runs
/// two experiments against a Python HTTP server on 127.0.0.1 (`Fixtures/run-chaostoolkit.sh`);
/// their journals are imported and the sample site is built with them.
enum ChaosToolkitInstall {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let venv = package.appendingPathComponent(".build/chaostoolkit-venv")
    static var chaos: URL { venv.appendingPathComponent("bin/chaos") }

    /// Why the tests cannot run, or nil once `chaos` is installed (a first install takes a minute).
    static let problem: String? = {
        if FileManager.default.isExecutableFile(atPath: chaos.path) { return nil }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return "python3 is not installed" }
        let install = "rm -rf '\(venv.path)' && python3 -m venv '\(venv.path)' && '\(venv.path)/bin/pip' install --quiet --disable-pip-version-check chaostoolkit"
        let (status, output) = shell("timeout 600 sh -c \"\(install)\"")
        if status != 0 || !FileManager.default.isExecutableFile(atPath: chaos.path) {
            return "pip could not install chaostoolkit into .build/chaostoolkit-venv (python3-venv missing, or no package index): "
                + String(output.suffix(300))
        }
        return nil
    }()

    static var available: Bool { problem == nil }
    static var reason: Comment { Comment(rawValue: "skipped: " + (problem ?? "")) }

    /// Runs `/bin/sh -c command`, output and errors together.
    static func shell(_ command: String) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>&1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite("A real Chaos Toolkit run", .serialized)
struct RealChaosToolkitTests {
    static let drill = """
        id: static-health-endpoint
        title: Static health endpoint
        category: infrastructure-resilience
        objective: A static server keeps answering its health check when files it serves are removed
        environment: local
        allocatedDuration: 5m
        scenario:
          - Remove a file the server serves (Chaos Toolkit action), then restore it (rollback)
        expectedBehaviour:
          - The health endpoint answers 200 before and after
        successCriteria:
          - id: steady-state-before-health-endpoint-answers-200
            text: "Steady state before the method: health endpoint answers 200"
          - id: steady-state-after-health-endpoint-answers-200
            text: "Steady state after the method: health endpoint answers 200"

        """

    @Test(.enabled(if: ChaosToolkitInstall.available, ChaosToolkitInstall.reason), .timeLimit(.minutes(10)))
    func passingAndDeviatedJournalsImportAndShowOnTheSite() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-ctk-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: work) }
        let script = JournalFixture.folder.appendingPathComponent("run-chaostoolkit.sh").path
        let (status, output) = ChaosToolkitInstall.shell("sh '\(script)' '\(ChaosToolkitInstall.chaos.path)' '\(work.path)'")
        try #require(status == 0, Comment(rawValue: output))

        // The two journals as records in a copy of the sample content.
        let content = work.appendingPathComponent("content")
        try FileManager.default.copyItem(at: ChaosToolkitInstall.package.appendingPathComponent("content"), to: content)
        // The drill the experiment realises: its criteria are the hypothesis' probes, before and after.
        try Data(Self.drill.utf8).write(to: content.appendingPathComponent("drills/static-health-endpoint.yaml"))
        var runs: [String: DrillRun] = [:]
        for name in ["passing", "deviated"] {
            let file = work.appendingPathComponent(name + ".json")
            let data = try Data(contentsOf: file)
            let imported = try ChaosToolkitJournal(data: data, file: file.path, drillId: "static-health-endpoint")
            #expect(imported.warnings == [])
            let (_, run) = try ImportedRecordWriter.write(imported.run, into: content.appendingPathComponent("runs"))
            runs[name] = run
        }
        let passing = try #require(runs["passing"])
        let deviated = try #require(runs["deviated"])
        #expect(passing.outcome == .passed)
        #expect(passing.criteria.map(\.verdict) == [.met, .met])
        #expect(deviated.outcome == .failed)
        #expect(deviated.criteria.map(\.verdict) == [.met, .missed])
        #expect(deviated.criteria[1].note?.contains("HTTP 404") == true)
        for run in [passing, deviated] {
            let events = run.timeline.map(\.event)
            #expect(events.contains("fault.injected"))
            #expect(events.contains { $0.hasPrefix("rollback.action.restore-") && $0.hasSuffix(".succeeded") })
        }
        // The second record of the same day takes the next name, never the first one's.
        #expect(deviated.id == passing.id + "-2")

        let output2 = work.appendingPathComponent("site")
        let builder = SiteBuilder(
            themeDirectory: ChaosToolkitInstall.package.appendingPathComponent("themes/default"), outputDirectory: output2,
            asOf: CalendarDay(iso8601: "2026-12-31")!)
        _ = try await SiteGenerator(contentDirectory: content, builder: builder).generate()
        for run in [passing, deviated] {
            let page = try String(contentsOf: output2.appendingPathComponent("runs/" + run.id + ".html"), encoding: .utf8)
            #expect(page.contains("Chaos Toolkit (chaoslib "))
            #expect(page.contains("id=\"evidence\""))
            #expect(page.contains("Steady state after the method: health endpoint answers 200"))
        }
    }

    /// The sample site's experiment (`content/imports/chaostoolkit/run-nse-outage.sh`) run again
    /// by the real Chaos Toolkit: the fallback keeps the hypothesis; with `--fallback off` (the
    /// negative control) "the active provider is up" misses after the method.
    @Test(.enabled(if: ChaosToolkitInstall.available, ChaosToolkitInstall.reason), .timeLimit(.minutes(10)))
    func theSampleExperimentStillPassesAndItsBrokenVariantDeviates() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-ctk-nse-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: work) }
        let script = ChaosToolkitInstall.package.appendingPathComponent("content/imports/chaostoolkit/run-nse-outage.sh").path
        let (status, output) = ChaosToolkitInstall.shell("sh '\(script)' '\(ChaosToolkitInstall.chaos.path)' '\(work.path)'")
        try #require(status == 0, Comment(rawValue: output))
        var verdicts: [String: [Verdict]] = [:]
        for name in ["passing", "deviated"] {
            let file = work.appendingPathComponent(name + ".json")
            let imported = try ChaosToolkitJournal(data: try Data(contentsOf: file), file: file.path, drillId: "nse-outage-experiment")
            #expect(imported.warnings == [])
            verdicts[name] = imported.run.criteria.map(\.verdict)
        }
        #expect(verdicts["passing"] == [.met, .met, .met, .met])
        #expect(verdicts["deviated"] == [.met, .met, .met, .missed])
    }
}
