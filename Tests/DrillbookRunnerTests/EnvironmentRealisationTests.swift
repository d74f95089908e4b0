import DrillbookContent
import DrillbookModel
import DrillbookTestSupport
import Foundation
import Testing
@testable import DrillbookRunner

/// One drill written for both: its local realisation unchanged, its staging run the same criteria
/// against staging's targets; what an environment cannot stand in for is refused; secrets and the
/// blast radius as the engine applies them.
@Suite("Environments, blast radius, secrets")
struct EnvironmentRealisationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let drillFile = repository.appendingPathComponent("content/drills/single-provider-failure.yaml")

    static func staging() throws -> RunEnvironment {
        let read = EnvironmentFile.read(repository.appendingPathComponent("content/environments/staging.yaml"))
        #expect(read.issues.isEmpty, "\(read.issues)")
        return try #require(read.environment)
    }

    @Test func theLocalRealisationOfTheConvertedDrillIsUnchanged() throws {
        let drill = try DrillFileReader.read(Self.drillFile)
        let variables = DrillRunner.variables(for: drill, drillFile: Self.drillFile, runDirectory: URL(fileURLWithPath: "/tmp/r"))
        let p = (1...3).map { variables.values["PORT_\($0)"] ?? "?" }
        let execution = try #require(drill.execution)
        let folder = Self.drillFile.deletingLastPathComponent().path
        func step(_ name: String) -> CommandStep { execution.setup.first { $0.name == name } ?? CommandStep(name: name, run: "") }
        #expect(variables.substitute(execution.variables["PROMETHEUS_URL"] ?? "") == "http://127.0.0.1:\(variables.values["PORT_5"] ?? "?")")
        // The commands and URLs as the drill wrote them before it took variables.
        #expect(variables.substitute(step("market-service").run) == "python3 \(folder)/support/market-service.py \(p[2]) NSE=http://127.0.0.1:\(p[0]) BSE=http://127.0.0.1:\(p[1]) --fallback on")
        #expect(variables.substitute(step("users").run) == "python3 \(folder)/support/market-client.py watch http://127.0.0.1:\(p[2]) /tmp/r/served.jsonl")
        #expect(variables.substitute(step("primary-nse").ready?.http ?? "") == "http://127.0.0.1:\(p[0])/health")
        #expect(variables.substitute(execution.steadyState[0].http ?? "") == "http://127.0.0.1:\(p[2])/quote")
        #expect(Set(p).count == 3)
    }

    @Test func stagingRunsTheSameCriteriaAgainstItsOwnTargets() throws {
        let drill = try DrillFileReader.read(Self.drillFile)
        let staging = try Self.staging()
        let adjusted = try EnvironmentRealisation.apply(staging, to: drill).get()
        let execution = try #require(adjusted.execution)
        #expect(execution.setup.map(\.name) == ["users"])
        #expect(execution.fault.map(\.name) == ["mark-fault-start", "freeze-nse", "observe-users"])
        #expect(execution.fault[1].kill == nil && execution.fault[1].event == "nse.frozen")
        #expect(execution.fault[1].run?.contains("/faults/nse-gateway/pause") == true)
        #expect(execution.measure[3].trigger?.run?.contains("/faults/nse-gateway/resume") == true)
        #expect(execution.measure[3].trigger?.event == "nse.returned")
        #expect(execution.rollback.map { $0.run != nil } == [true])
        #expect(execution.variables["MARKET_URL"] == "https://market.staging.bondx.example")
        #expect(adjusted.successCriteria == drill.successCriteria)
        #expect(execution.measure.map(\.probe) == drill.execution?.measure.map(\.probe))
        let variables = DrillRunner.variables(for: adjusted, drillFile: Self.drillFile, runDirectory: URL(fileURLWithPath: "/tmp/r"))
        #expect(variables.substitute(execution.steadyState[0].http ?? "") == "https://market.staging.bondx.example/quote")
        #expect(variables.substitute(execution.fault[1].run ?? "").contains("https://chaos.staging.bondx.example/v1/faults/nse-gateway/pause"))
        // Every target is inside staging's hosts; the same drill against a list without the
        // market host is refused at the probe that aims there.
        let text = try String(contentsOf: Self.drillFile, encoding: .utf8)
        func check(_ radius: BlastRadius) -> [String] {
            DrillPreflight.blastRadius(drill, drillFile: "drills/spf.yaml", drillText: text, environment: staging, radius: radius).map(\.description)
        }
        #expect(check(RunTarget(drill, environment: nil, file: staging).blastRadius).isEmpty)
        let narrower = BlastRadius(allowlist: HostAllowlist(["chaos.staging.bondx.example", "prometheus.staging.bondx.example", "alertmanager.staging.bondx.example", "10.42.3.0/24"]), owner: "environment staging")
        #expect(check(narrower) == [
            "drills/spf.yaml:145: $.execution.steadyState[0].http: aimed outside the blast radius, so nothing was sent: market.staging.bondx.example could not be resolved, and it is not among the hosts environment staging allows (chaos.staging.bondx.example, prometheus.staging.bondx.example, alertmanager.staging.bondx.example, 10.42.3.0/24)"
        ], "\(check(narrower))")
        // The local realisation keeps to loopback.
        #expect(DrillPreflight.blastRadius(drill, drillFile: "d", drillText: text, environment: nil, radius: .localRealisation).isEmpty)
    }

    @Test func whatTheEnvironmentCannotStandInForIsRefused() throws {
        let drill = try DrillFileReader.read(Self.drillFile)
        var staging = try Self.staging()
        staging.drills[0].replace.removeAll { $0.name == "freeze-nse" }
        #expect(EnvironmentRealisation.apply(staging, to: drill).refusal == "the action freeze-nse of single-provider-failure signals primary-nse, a server the local realisation starts and environment staging skips; expected a replacement (under its drills: entry for single-provider-failure, replace: - name: freeze-nse, with run: or http:)")
        staging = try Self.staging()
        staging.drills[0].skip[0] = "primay-nse"
        #expect(EnvironmentRealisation.apply(staging, to: drill).refusal == "environment staging skips \"primay-nse\", which is no setup or teardown step or action of single-provider-failure (monitoring-configs, alertmanager, prometheus, primary-nse, fallback-bse, market-service, users, monitoring-sees-providers, monitoring-quiet, mark-fault-start, freeze-nse, observe-users, resume-nse, nse-returns)")
        staging = try Self.staging()
        staging.drills[0].variables["MARKET_URL"] = nil
        #expect(EnvironmentRealisation.apply(staging, to: drill).refusal == "single-provider-failure refers to ${MARKET_URL}, which environment staging gives no value (its variables:, or variables: under its drills: entry for single-provider-failure)")
    }

    @Test func secretsAreReadWhenUsedAndRedactedEverywhere() {
        let secrets = SecretValues(lookup: { $0 == "TOKEN" ? "s3cr3t-Value" : nil })
        #expect(secrets.isEmpty)
        #expect(secrets.resolve("http://h/x?t=${secret:TOKEN}") == "http://h/x?t=s3cr3t-Value")
        #expect(secrets.shellReferences("printf '%s' \"${secret:TOKEN}\" | curl -H @- u") == "printf '%s' \"${TOKEN}\" | curl -H @- u")
        #expect(secrets.redact("got s3cr3t-Value twice: s3cr3t-Value") == "got ${secret:TOKEN} twice: ${secret:TOKEN}")
        #expect(secrets.resolve("${secret:bad-name} ${UNRELATED}") == "${secret:bad-name} ${UNRELATED}")
        let drill = DrillDefinition(
            id: "d", title: "D", category: .infrastructureResilience, objective: "o", successCriteria: [], allocatedDuration: "1m",
            execution: DrillExecution(steadyState: [Probe(name: "p", http: "http://127.0.0.1:1/?a=${secret:TOKEN}&b=${secret:OTHER}")]))
        #expect(DrillPreflight.unsetSecrets(drill, secrets: secrets)?.message == "d uses ${secret:OTHER}, but the environment variable OTHER is not set; set it in the shell that runs drillbook (nothing was started)")
        #expect(DrillPreflight.unsetSecrets(drill, secrets: SecretValues(lookup: { _ in "x" })) == nil)
    }

    /// A command gets a shell reference, so the value is not on the shell's command line; the
    /// check the CLI test's drill makes, with its control: the value written into the command
    /// itself is found there.
    @Test func aCommandGetsAReferenceNotTheValue() throws {
        let marker = "marker-" + UUID().uuidString
        let secrets = SecretValues(lookup: { $0 == "DRILL_TOKEN" ? marker : nil })
        let check = #"cmd=$(tr '\0' ' ' < /proc/$$/cmdline); case "$cmd" in *"VALUE"*) exit 1;; esac; exit 0"#
        func status(_ command: String) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.environment = ["DRILL_TOKEN": marker, "PATH": "/usr/bin:/bin"]
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try status(secrets.shellReferences(check.replacingOccurrences(of: "VALUE", with: "${secret:DRILL_TOKEN}"))) == 0)
        #expect(try status(secrets.resolve(check.replacingOccurrences(of: "VALUE", with: "${secret:DRILL_TOKEN}"))) == 1)
    }

    /// The send-time check: a drill that reached the engine without the validation (built in
    /// code) and aims at 127.0.0.3, against an environment allowing 127.0.0.2 only. The request
    /// and the connect are refused, and the 127.0.0.3 listener saw no connection. The control: the
    /// same drill allowed 127.0.0.3 does reach it, so the witness can see a connection.
    @Test func theSendTimeCheckRefusesBeforeConnecting() async throws {
        for allowed in ["127.0.0.2", "127.0.0.3"] {
            let listener = try SilentListener(address: "127.0.0.3")
            defer { listener.close() }
            let lab = RunEnvironment(name: "lab", hosts: [allowed])
            let drill = DrillDefinition(
                id: "aimed-elsewhere", title: "Aimed elsewhere", category: .infrastructureResilience, objective: "o",
                successCriteria: [], allocatedDuration: "1m",
                execution: DrillExecution(steadyState: [
                    Probe(name: "tcp", tcp: "127.0.0.3:\(listener.port)", timeout: 2),
                    Probe(name: "web", http: "http://127.0.0.3:\(listener.port)/", timeout: 2),
                ]))
            let folder = try temporaryFolder("send-time")
            defer { try? FileManager.default.removeItem(at: folder) }
            let (run, _) = await DrillRunner().run(drill, drillFile: folder.appendingPathComponent("d.yaml"), settings: RunSettings().targeting(lab))
            #expect(run.environment == "lab" && run.realisation == .environment)
            if allowed == "127.0.0.2" {
                #expect(run.abortReason == "steady state did not hold before the fault (tcp: refused: 127.0.0.3 is not among the hosts environment lab allows (127.0.0.2); nothing was sent); no fault was injected")
                #expect(!listener.sawConnection(), "a refused target was connected to")
            } else {
                #expect(listener.sawConnection(), "the control never reached the listener")
            }
        }
    }
}

extension Result where Failure == RunRefusal {
    var refusal: String? {
        if case .failure(let refusal) = self { return refusal.message }
        return nil
    }
}
