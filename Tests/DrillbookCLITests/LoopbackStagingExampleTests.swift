import DrillbookTestSupport
import Foundation
import Testing

/// The example environment of docs/examples/loopback-staging/README.md (a run against a named environment):
/// `docs/examples/loopback-staging/loopback-staging.yaml` stands a team's staging on 127.0.0.2 …
/// 127.0.0.7 for playbook drill 2.1. The whole run against it is in the docs' transcript (servers.sh
/// starts the servers; `EnvironmentRunTests` runs a whole drill against other-loopback hosts in
/// the suite); here the example stays valid for the drill it is written for, and an aim outside
/// its hosts is refused before anything starts.
@Suite("The loopback staging example")
struct LoopbackStagingExampleTests {
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let example = package.appendingPathComponent("docs/examples/loopback-staging/loopback-staging.yaml")
    static let secret = ["BONDX_CHAOS_TOKEN": "example-token-never-shown"]

    @Test func theExamplePlansDrill21AgainstItsHosts() async throws {
        let tool = try BuiltTool.find()
        let plan = try await tool.run(
            ["run", "single-provider-failure", "--environment-file", Self.example.path, "--dry-run"], in: Self.package, environment: Self.secret)
        #expect(plan.status == 0, "\(plan.standardError)")
        let text = plan.standardOutput.replacingOccurrences(of: "\n  ", with: " ")
        #expect(text.contains("loopback-staging (its own systems, hosts 127.0.0.2, 127.0.0.3, 127.0.0.4, 127.0.0.5, 127.0.0.6, 127.0.0.7;"), "\(text)")
        #expect(text.contains("${MARKET_URL} = http://127.0.0.2:18080"))
        #expect(text.contains("${secret:BONDX_CHAOS_TOKEN} set"))
        #expect(!plan.standardOutput.contains("example-token-never-shown"))
    }

    /// Negative control: the same file with Prometheus moved to 127.0.0.9, a host it does not list.
    @Test func aQueryAimedOutsideItsHostsIsRefused() async throws {
        let folder = try temporaryFolder("loopback-staging")
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = try String(contentsOf: Self.example, encoding: .utf8)
        let moved = text.replacingOccurrences(of: "PROMETHEUS_URL: http://127.0.0.6:19090", with: "PROMETHEUS_URL: http://127.0.0.9:19090")
        try #require(moved != text)
        let file = folder.appendingPathComponent("outside.yaml")
        try Data(moved.utf8).write(to: file)
        let records = folder.appendingPathComponent("runs")
        let run = try await BuiltTool.find().run(
            ["run", "single-provider-failure", "--environment-file", file.path, "--yes", "--records", records.path], in: Self.package,
            environment: Self.secret)
        #expect(run.status == 2)
        #expect(run.standardError.hasPrefix("drillbook: error: refused: content/drills/single-provider-failure.yaml:"), "\(run.standardError)")
        #expect(run.standardError.hasSuffix(
            ": $.execution.rangeQueries[0].prometheus: aimed outside the blast radius, so nothing was sent: 127.0.0.9 is not among the hosts "
                + "environment loopback-staging allows (127.0.0.2, 127.0.0.3, 127.0.0.4, 127.0.0.5, 127.0.0.6, 127.0.0.7)\n"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: records.path), "a record was written")
    }
}
