import DrillbookContent
import DrillbookModel
import DrillbookRunner
import Foundation
import Testing

/// `drillbook run` refuses what `drillbook check` refuses, with the same located message, before
/// anything starts: both decode a drill through `ContentLoader.decodeDrill`. Each case is a broken
/// variant of one valid drill; the valid drill itself is accepted (the control).
@Suite("Drill validation: run checks like check")
struct DrillValidationTests {
    static let valid = """
        id: v
        title: Validation
        category: infrastructure-resilience
        objective: Prove validation.
        successCriteria:
          - { id: fast, text: Fast, metric: recovery_seconds, comparison: "<=", target: 10, unit: s }
        allocatedDuration: 30m
        execution:
          setup:
            - name: web
              run: server --port ${PORT_1}
              background: true
              timeout: 15
          abortIf:
            - name: guard
              command: "true"
              interval: 1
          fault:
            - name: kill-web
              kill: web
              signal: SIGKILL
          measure:
            - metric: recovery_seconds
              from: fault.injected
              probe: { name: up, tcp: "127.0.0.1:${PORT_1}" }
              interval: 0.25
              timeout: 30
            - metric: after_recovery
              kind: holds
              probe: { name: still up, tcp: "127.0.0.1:${PORT_1}" }
              timeout: 5
              after: [recovery_seconds]
        """

    /// The messages `run` prints for `yaml` (empty when it is accepted).
    static func runErrors(_ yaml: String) -> [String] {
        do {
            _ = try DrillFileReader.decode(yaml, path: "drills/v.yaml")
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    /// The errors `check` reports for `yaml` as a content folder's drill.
    static func checkErrors(_ yaml: String) throws -> [String] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drill-validation-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("drills"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("drills/v.yaml"))
        let issues = ContentLoader(contentDirectory: folder).load().issues.filter(\.isError)
        return issues.map { $0.description.replacingOccurrences(of: folder.path + "/", with: "") }
    }

    @Test func theValidDrillIsAccepted() throws {
        #expect(Self.runErrors(Self.valid) == [])
        #expect(try Self.checkErrors(Self.valid) == [])
    }

    @Test(arguments: [
        (
            "  abortIf:", "  abortif:",
            "drills/v.yaml:14: $.execution.abortif: unknown key \"abortif\" (a typo?); the executor would skip it, so it is refused; known keys here: setup, steadyState, fault, measure, during, load, abortIf, rollback, teardown, derive, rangeQueries, variables"
        ),
        (
            "allocatedDuration: 30m", "allocatedDuration: soon",
            "drills/v.yaml:7: $.allocatedDuration: expected a duration like 45m, 1h 30m, 90 minutes or PT1H30M, got \"soon\""
        ),
        (
            "signal: SIGKILL", "signal: SIGUSR1",
            "drills/v.yaml:21: $.execution.fault[0].signal: expected one of SIGKILL, SIGTERM, SIGINT, SIGHUP, SIGSTOP, SIGCONT, got \"SIGUSR1\""
        ),
        (
            "kill: web", "kill: wbe",
            "drills/v.yaml:20: $.execution.fault[0].kill: expected the name of a background step started before this action (web), got \"wbe\""
        ),
        (
            "      interval: 1", "      interval: -1",
            "drills/v.yaml:17: $.execution.abortIf[0].interval: expected a positive number of seconds, got −1"
        ),
        (
            "      timeout: 15", "      timeout: 0",
            "drills/v.yaml:13: $.execution.setup[0].timeout: expected a positive number of seconds, got 0"
        ),
        (
            "      timeout: 30", "      timeout: -5",
            "drills/v.yaml:27: $.execution.measure[0].timeout: expected a positive number of seconds, got −5"
        ),
        (
            "after: [recovery_seconds]", "after: [recovery_second]",
            "drills/v.yaml:32: $.execution.measure[1].after[0]: expected the metric of another measurement (recovery_seconds), got \"recovery_second\""
        ),
        (
            "      probe: { name: up, tcp: \"127.0.0.1:${PORT_1}\" }", "      probe: { name: up }",
            "drills/v.yaml:25: $.execution.measure[0].probe: expected exactly one of command, http, tcp, prometheus or alertmanager; found 0"
        ),
        (
            "      from: fault.injected\n", "",
            "drills/v.yaml:23: $.execution.measure[0]: an elapsed measurement needs `from`, the timeline event its clock starts at (such as fault.injected)"
        ),
        (
            "metric: after_recovery\n      kind: holds\n      probe: { name: still up, tcp: \"127.0.0.1:${PORT_1}\" }\n      timeout: 5\n      after: [recovery_seconds]",
            "metric: recovery_seconds\n      kind: holds\n      probe: { name: still up, tcp: \"127.0.0.1:${PORT_1}\" }\n      timeout: 5",
            "drills/v.yaml:28: $.execution.measure[1].metric: the metric \"recovery_seconds\" is measured twice; expected one measurement per metric"
        ),
    ])
    func aBrokenDefinitionIsRefusedByRunAsByCheck(original: String, broken: String, message: String) throws {
        let yaml = Self.valid.replacingOccurrences(of: original, with: broken)
        #expect(yaml != Self.valid)
        #expect(Self.runErrors(yaml) == [message])
        #expect(try Self.checkErrors(yaml) == [message])
    }

    /// Signals are accepted with or without `SIG`, in any case; anything else is refused.
    @Test func signalNames() {
        #expect(FaultAction.signalName("term") == "SIGTERM")
        #expect(FaultAction.signalName("SIGSTOP") == "SIGSTOP")
        #expect(FaultAction.signalName("sigcont") == "SIGCONT")
        #expect(FaultAction.signalName("SIGUSR1") == nil)
        #expect(FaultAction.signalName("9") == nil)
    }
}
