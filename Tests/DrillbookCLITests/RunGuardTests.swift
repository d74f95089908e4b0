import DrillbookTestSupport
import Foundation
import Testing

/// The real command refuses, before anything starts: an invalid drill (exit 3, located message)
/// and a production run without `--approve` however the environment is spelt or overridden (exit 2).
@Suite("drillbook run refuses before it starts")
struct RunGuardTests {
    func run(_ drill: String, _ arguments: [String]) async throws -> (status: Int32, standardOutput: String, standardError: String) {
        let folder = try temporaryFolder("guard")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(drill.utf8).write(to: folder.appendingPathComponent("drill.yaml"))
        // A named environment runs against its file (docs/executor.md, Environments).
        let environments = folder.appendingPathComponent("content/environments")
        try FileManager.default.createDirectory(at: environments, withIntermediateDirectories: true)
        for name in ["production", "prod-eu", "PROD", "staging"] {
            try Data("name: \(name)\nhosts: [127.0.0.1]\n".utf8).write(to: environments.appendingPathComponent(name + ".yaml"))
        }
        let result = try await DrillbookBinary.run(["run", "drill.yaml"] + arguments, in: folder)
        return (result.status, result.standardOutput, result.standardError)
    }

    @Test func aTypoInExecutionIsAnInvalidDrill() async throws {
        let drill = DrillbookBinary.tinyDrill().replacingOccurrences(of: "  steadyState:", with: "  steadystate:")
        let result = try await run(drill, ["--dry-run"])
        #expect(result.status == 3)
        #expect(result.standardError.hasPrefix("drillbook: error: drill.yaml:18: $.execution.steadystate: unknown key \"steadystate\" (a typo?); the executor would skip it, so it is refused;"), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty)
    }

    @Test(arguments: [
        ("environment: local", ["--environment", " production"]),
        ("environment: local", ["--environment", "prod-eu"]),
        ("environment: local", ["--environment", "PROD"]),
        ("environment: production", ["--environment", "staging"]),
        ("environment: production", ["--environment", "local"]),
        ("environment: production", []),
    ])
    func productionWithoutAnApproverIsRefused(environment: String, arguments: [String]) async throws {
        let drill = DrillbookBinary.tinyDrill().replacingOccurrences(of: "environment: local", with: environment)
        let result = try await run(drill, ["--dry-run"] + arguments)
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("refusing to run without --approve"))
        // The control: with an approver the plan is printed.
        let approved = try await run(drill, ["--dry-run", "--approve", "Priya Shah"] + arguments)
        #expect(approved.status == 0, "\(approved.standardError)")
    }

    /// An environment file can declare itself production whatever its name.
    @Test func anEnvironmentFileDeclaredProductionNeedsAnApprover() async throws {
        let folder = try temporaryFolder("guard")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(DrillbookBinary.tinyDrill().utf8).write(to: folder.appendingPathComponent("drill.yaml"))
        try Data("name: live-eu\nproduction: true\nhosts: [127.0.0.1]\n".utf8).write(to: folder.appendingPathComponent("live.yaml"))
        let refused = try await DrillbookBinary.run(["run", "drill.yaml", "--environment-file", "live.yaml", "--dry-run"], in: folder)
        #expect(refused.status == 2)
        #expect(refused.standardError.hasPrefix("drillbook: error: refused: tiny-drill targets live-eu, which its environment file declares production: refusing to run without --approve"), "\(refused.standardError)")
        let approved = try await DrillbookBinary.run(["run", "drill.yaml", "--environment-file", "live.yaml", "--dry-run", "--approve", "Priya Shah"], in: folder)
        #expect(approved.status == 0, "\(approved.standardError)")
    }

    @Test func theDryRunSaysWhereItWouldRun() async throws {
        let drill = DrillbookBinary.tinyDrill().replacingOccurrences(of: "environment: local", with: "environment: staging")
        let result = try await run(drill, ["--dry-run"])
        #expect(result.status == 0)
        // Laid out in 80 columns (no terminal, no COLUMNS), the phrase wraps at a space.
        #expect(result.standardOutput.contains("environment local (local realisation on this\n  machine; the drill declares staging)"), "\(result.standardOutput)")
    }
}
