import DrillbookTestSupport
import Foundation
import Testing

@Suite("drillbook run --dry-run")
struct DryRunTests {
    /// The real command on a drill whose every command leaves a file behind: the plan is printed, and
    /// nothing the run would touch is there afterwards — no record under the default `content/runs`
    /// of the current folder, no `drillbook-<id>-*` run folder in the temporary folder, no file a
    /// started command would have made.
    @Test func theDryRunPlanListsEverythingAndTouchesNothing() async throws {
        let folder = try temporaryFolder("binary")
        defer { try? FileManager.default.removeItem(at: folder) }
        let id = "dry-run-" + UUID().uuidString.prefix(8).lowercased()
        let started = folder.appendingPathComponent("started")
        let drill = DrillbookBinary.tinyDrill(id: id, rollback: "touch '\(started.path).rollback'")
            .replacingOccurrences(of: "command: \"true\"", with: "command: \"touch '\(started.path).probe'\"")
            .replacingOccurrences(of: "run: \"true\"", with: "run: \"touch '\(started.path).fault'\"")
        try Data(drill.utf8).write(to: folder.appendingPathComponent("drill.yaml"))
        let temporary = FileManager.default.temporaryDirectory.path
        func runFolders() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: temporary).filter { $0.hasPrefix("drillbook-\(id)-") }
        }
        #expect(try runFolders() == [])

        // Wide enough that no line of the plan is wrapped: the checks below read whole lines
        // (the temporary folder's path makes them long).
        let plan = try await BuiltTool.find().run(["run", "./drill.yaml", "--dry-run"], in: folder, environment: ["COLUMNS": "1000"])

        #expect(plan.status == 0, "\(plan.standardError)")
        for expected in [
            "Plan for Tiny drill (\(id))", "Steady state", "always: command `touch '\(started.path).probe'`", "nothing: run `touch '\(started.path).fault'`", "Rollback",
            "undo: run `touch '\(started.path).rollback'`", "Success criteria:", "Dry run: nothing was started.",
        ] {
            #expect(plan.standardOutput.contains(expected), "missing \(expected) in\n\(plan.standardOutput)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["drill.yaml"])
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("content/runs").path))
        #expect(try runFolders() == [])
    }

    /// The width the plan is laid out in is the terminal's (COLUMNS here, no terminal), 80 when
    /// it is not set, as for tables and help.
    @Test func theDryRunFitsTheTerminalWidth() async throws {
        let folder = try temporaryFolder("width")
        defer { try? FileManager.default.removeItem(at: folder) }
        let drill = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content/drills/redis-sentinel-failover.yaml").path
        func widest(_ environment: [String: String]) async throws -> Int {
            let plan = try await BuiltTool.find().run(["run", drill, "--dry-run"], in: folder, environment: environment)
            #expect(plan.status == 0, "\(plan.standardError)")
            return plan.standardOutput.components(separatedBy: "\n").map(\.count).max() ?? 0
        }
        #expect(try await widest(["COLUMNS": "80"]) <= 80)
        #expect((81...160).contains(try await widest(["COLUMNS": "160"])))
        // The control: a terminal as wide as the longest item shows every item on one line.
        #expect(try await widest(["COLUMNS": "1000"]) > 300)
    }

    /// Without --yes and without a terminal, what a run shows is the confirmation screen, then the
    /// refusal: every line of both fits 80 columns.
    @Test func theConfirmationScreenAndTheRefusalFitTheTerminalWidth() async throws {
        let folder = try temporaryFolder("confirm")
        defer { try? FileManager.default.removeItem(at: folder) }
        let drill = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content/drills/redis-sentinel-failover.yaml").path
        func shown(columns: Int) async throws -> BuiltTool.Outcome {
            try await BuiltTool.find().run(["run", drill, "--records", folder.path], in: folder, environment: ["COLUMNS": String(columns)])
        }
        let narrow = try await shown(columns: 80)
        #expect(narrow.status == 2)
        #expect(narrow.standardOutput.hasPrefix("Redis Sentinel Failover (redis-sentinel-failover): Test Redis high availability\n  and failover\nPreparation checklist:\n"))
        #expect(narrow.standardError == """
            drillbook: error: refused: standard input is not a terminal
            drillbook: note: confirm the checklists above and run again with --yes

            """)
        let lines = (narrow.standardOutput + narrow.standardError).components(separatedBy: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(narrow.standardOutput)")
        // The control: on a wide terminal the screen's long lines are whole.
        let wide = try await shown(columns: 1000)
        #expect(wide.standardOutput.components(separatedBy: "\n").contains { $0.count > 80 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [])
    }
}
