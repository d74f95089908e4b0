import DrillbookModel
import DrillbookTestSupport
import Foundation
import Testing
@testable import DrillbookRunner

@Suite("Drill files, records, reports")
struct FilesTests {
    static let valid = """
        id: tiny
        title: Tiny
        category: infrastructure-resilience
        objective: Test things
        allocatedDuration: 5m
        successCriteria:
          - id: quick
            text: Quick
        execution:
          fault:
            - name: pause
              wait: 1
        """

    @Test func aValidDrillDecodes() throws {
        let drill = try DrillFileReader.decode(Self.valid, path: "tiny.yaml")
        #expect(drill.execution?.fault.first?.wait == 1)
        #expect(drill.execution?.measure.isEmpty == true)
    }

    @Test func malformedYAMLNamesFileAndLine() {
        let text = "id: tiny\ntitle: [unclosed\nobjective: x\n"
        #expect {
            _ = try DrillFileReader.decode(text, path: "bad.yaml")
        } throws: { error in
            let error = error as? DrillFileError
            return error?.path == "bad.yaml" && error?.line != nil && error!.description.hasPrefix("bad.yaml:")
        }
    }

    @Test func aWrongTypeNamesTheKeyPathAndItsLine() {
        let text = Self.valid.replacingOccurrences(of: "wait: 1", with: "wait: soon")
        do {
            _ = try DrillFileReader.decode(text, path: "drills/tiny.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 12)
            #expect(error.message == "$.execution.fault[0].wait: expected a number, got \"soon\"")
            #expect(error.description.hasPrefix("drills/tiny.yaml:12: "))
        }
    }

    @Test func aMissingKeyNamesTheKeyAndTheParentsLine() {
        let text = Self.valid.replacingOccurrences(of: "title: Tiny\n", with: "")
        do {
            _ = try DrillFileReader.decode(text, path: "tiny.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "$.title: missing required key \"title\" (expected a string)")
            #expect(error.line == 1)
        }
    }

    @Test func theShippedDrillsDecode() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("content/drills")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 7)
        for file in files {
            let drill = try DrillFileReader.read(folder.appendingPathComponent(file))
            #expect(file == drill.id + ".yaml")
        }
        let redis = try DrillFileReader.read(folder.appendingPathComponent("redis-sentinel-failover.yaml"))
        #expect(redis.execution?.measure.map(\.metric) == ["detection_seconds", "failover_seconds", "clients_reconnected", "acknowledged_writes_lost", "client_reconnect_seconds", "acknowledged_writes", "monitoring_detection_seconds"])
    }

    @Test func recordsAreWrittenAtomicallyWithAFreeName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-records-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let start = Timestamp(iso8601: "2026-03-02T10:15:00+05:30")!
        let run = DrillRun(id: "x", drillId: "redis-sentinel-failover", environment: "staging", startedAt: start, endedAt: start.adding(seconds: 60), outcome: .passed)
        let first = try RunRecordWriter(directory: folder).write(run)
        let second = try RunRecordWriter(directory: folder).write(run)
        #expect(first.url.path.hasSuffix("2026/2026-03-02-redis-sentinel-failover.json"))
        #expect(second.url.path.hasSuffix("2026/2026-03-02-redis-sentinel-failover-2.json"))
        #expect(second.run.id == "2026-03-02-redis-sentinel-failover-2")
        let decoded = try JSONDecoder().decode(DrillRun.self, from: Data(contentsOf: second.url))
        #expect(decoded == second.run)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: first.url.deletingLastPathComponent().path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func junitHasOneTestCasePerCriterion() {
        let start = Timestamp(secondsSince1970: 0)
        let run = DrillRun(
            id: "r", drillId: "d<&>", environment: "local", startedAt: start, endedAt: start.adding(seconds: 3), outcome: .failed,
            criteria: [
                CriterionResult(criterionId: "fast", text: "Fast", metric: "s", comparison: .lessThan, target: 1, unit: "s", actual: 0.5, verdict: .met),
                CriterionResult(criterionId: "safe", text: "Safe \"enough\"", verdict: .notMeasured),
            ])
        let xml = JUnitReport.xml(for: run)
        // The outcome's test case, then one per criterion; the failed outcome and the unmeasured criterion fail.
        #expect(xml.components(separatedBy: "<testcase ").count == 4)
        #expect(xml.contains("failures=\"2\""))
        #expect(xml.contains("name=\"d&lt;&amp;&gt;\""))
        #expect(xml.contains("type=\"not-measured\""))
        #expect(xml.contains("Safe &quot;enough&quot;"))
    }

    @Test func variablesAreSubstitutedAndShellVariablesLeftAlone() {
        let variables = RunVariables(values: ["PORT_1": "4100", "RUN_DIR": "/tmp/r"])
        #expect(variables.substitute("redis-cli -p ${PORT_1} --dir ${RUN_DIR} $M ${M} ${") == "redis-cli -p 4100 --dir /tmp/r $M ${M} ${")
        #expect(RunVariables.portCount(in: ["${PORT_2} and ${PORT_12}", "${PORT_x}"]) == 12)
        let ports = RunVariables.freePorts(5)
        #expect(ports.count == 5 && Set(ports).count == 5 && ports.allSatisfy { $0 > 1024 })
    }

    @Test func theAnnouncementFillsThePlaybookTemplate() {
        let drill = DrillDefinition(
            id: "redis", playbookSection: "1.2", title: "Redis Sentinel Failover", category: .infrastructureResilience,
            objective: "x", allocatedDuration: "30m", impact: "Writes fail briefly.", rollbackPlan: "Restart the old master.")
        let mail = PlaybookTemplates.announcement(
            for: drill, at: Timestamp(incidentTime: "2026-03-02 10:00 +05:30")!,
            participants: [Participant(name: "Asha Rao", role: "Drill lead")], organisation: "BondX")
        #expect(mail.hasPrefix("Subject: BondX Chaos Engineering Drill - Redis Sentinel Failover - 2026-03-02 10:00 UTC+05:30\n"))
        #expect(mail.contains("- Duration: 30m"))
        #expect(mail.contains("- Impact: Writes fail briefly."))
        #expect(mail.contains("- Rollback: Restart the old master."))
        #expect(mail.contains("- Drill lead: Asha Rao"))
    }

    @Test func newFilesCarryFreshIdsAndDecode() throws {
        let now = Timestamp(iso8601: "2026-03-02T10:15:00Z")!
        let incident = PlaybookTemplates.newFile(.incident, now: now)
        #expect(incident.name == "INC-20260302-1015.txt")
        #expect(incident.text.contains("INCIDENT DECLARED") && incident.text.contains("STATUS UPDATE") && incident.text.contains("INCIDENT RESOLVED"))
        let run = PlaybookTemplates.newFile(.run, now: now, drillId: "redis-sentinel-failover")
        let decoded = try JSONDecoder().decode(DrillRun.self, from: Data(run.text.utf8))
        #expect(decoded.drillId == "redis-sentinel-failover" && !decoded.lessons.isEmpty)
        let drill = PlaybookTemplates.newFile(.drill, now: now)
        let definition = try DrillFileReader.decode(drill.text, path: drill.name)
        #expect(definition.id + ".yaml" == drill.name)
    }
}

extension RealDrills {
/// Real child processes: serialized with the drills (`RealDrills`), so a loaded machine's other
/// servers never race these bounds.
@Suite("The real launcher")
struct LauncherTests {
    func launcher() -> (PosixProcessLauncher, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-launcher-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (PosixProcessLauncher(directory: folder), folder)
    }

    @Test func commandsReportStatusOutputAndTimeouts() async {
        let (launcher, folder) = launcher()
        defer { try? FileManager.default.removeItem(at: folder) }
        let ok = await launcher.run("echo hello; echo oops >&2; exit 3", timeout: 5)
        #expect(ok.exitStatus == 3 && ok.output.contains("hello") && ok.output.contains("oops"))
        // A command that would outlast its timeout by far: the timer task kills its group at 0.2 s. (It
        // was `sleep 5`, which lost the race when a starved cooperative pool let the timeout check run
        // only after five seconds: the old launcher blocked pool threads in `usleep`.)
        let slow = await launcher.run("sleep 60", timeout: 0.2)
        #expect(slow.timedOut && slow.exitStatus == nil)
        _ = await launcher.terminateAll()
    }

    /// Timeouts are measured on the launcher's clock: on a manual one, a command that ends by itself
    /// never waits for its timeout, and one that would not end is killed when, and only when, the
    /// clock reaches it. No wall-clock bound, so a loaded machine cannot make it flake.
    @Test func timeoutsAreMeasuredOnTheInjectedClock() async {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-launcher-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ManualClock()
        let launcher = PosixProcessLauncher(directory: folder, clock: clock)
        let quick = await launcher.run("echo done; exit 4", timeout: 3600)
        #expect(quick.exitStatus == 4 && !quick.timedOut && quick.output == "done\n")
        let slow = Task { await launcher.run("echo started; sleep 60", timeout: 5) }
        await clock.sleepers(atLeast: 1)
        clock.advance(by: .seconds(5))
        let result = await slow.value
        #expect(result.timedOut && result.exitStatus == nil)
        _ = await launcher.terminateAll()
    }

    /// The living members of `group` once they number `count`, or as they are after `seconds` of
    /// real time: a bound for the kernel (a fork, a kill) on a loaded machine, not a speed check.
    func members(ofGroup group: Int32, count: Int, within seconds: Int = 10) async throws -> [Int32] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var members = ProcessTable.livingMembers(ofGroup: group)
        while members.count != count && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            members = ProcessTable.livingMembers(ofGroup: group)
        }
        return members
    }

    @Test func everyChildRunsInItsOwnProcessGroupAndIsGoneAtTheEnd() async throws {
        let (launcher, folder) = launcher()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A server that forks a helper: both must die with the group.
        let pid = try launcher.start("sh -c 'sleep 60 & sleep 60'", name: "server")
        // The shell, then its two sleeps: waited for, not assumed to be there after 100 ms.
        #expect(try await members(ofGroup: pid, count: 3).count == 3)
        #expect(getpgid(pid) == pid)
        #expect(getpgid(pid) != getpgrp())
        #expect(launcher.isRunning(pid))
        _ = await launcher.terminateAll()
        #expect(!launcher.isRunning(pid))
        #expect(ProcessTable.livingMembers(ofGroup: pid).isEmpty)
    }

    /// drillbook killed outright (SIGKILL, a crash) cannot roll back or call `terminateAll()`;
    /// closing its end of the watchdog's socket is what its death does, and the watchdog then
    /// kills the groups left. A child holding that socket open would keep the watchdog waiting
    /// forever, so this also checks that no child inherits it.
    @Test func childrenDieWhenDrillbookDiesWithoutCleaningUp() async throws {
        let (launcher, folder) = launcher()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try launcher.start("sh -c 'sleep 60 & sleep 60'", name: "server")
        let finished = await launcher.run("true", timeout: 5)
        #expect(finished.exitStatus == 0)
        #expect(try await members(ofGroup: server, count: 3).count == 3)
        #expect(await launcher.abandonForTesting() == .killedGroups)
        // The watchdog sent SIGTERM at once (sleep dies of it) and SIGKILL a second later.
        let left = try await members(ofGroup: server, count: 0)
        #expect(left.isEmpty, "the server's group outlived drillbook: \(left)")
        // The launcher still reaps its own child (the test process plays drillbook here).
        _ = await launcher.terminateAll()
    }

    /// `a; b; c` and `a && b` run whole in the background (they used to be `exec a; b; c`, which
    /// ran only `a`); a simple command is still `exec`ed, so its pid is the program's.
    @Test func compoundBackgroundCommandsRunWhole() async throws {
        let (launcher, folder) = launcher()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.path
        let compound = try launcher.start("echo a > \(path)/a; echo b > \(path)/b && echo c > \(path)/c; sleep 60", name: "compound")
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: path + "/c") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        for name in ["a", "b", "c"] { #expect(FileManager.default.fileExists(atPath: path + "/" + name), "\(name) was not written") }
        #expect(launcher.isRunning(compound))
        let simple = try launcher.start("sleep 61", name: "simple")
        _ = try await members(ofGroup: simple, count: 1)
        // The child's shell waits at its gate, then execs: its name turns from sh to sleep once the
        // gate opens (a bounded wait; a command that is not exec'ed stays sh for good).
        var name: String? = nil
        let execDeadline = ContinuousClock.now + .seconds(5)
        repeat {
            name = (try? String(contentsOfFile: "/proc/\(simple)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            if name == "sleep" { break }
            try await Task.sleep(for: .milliseconds(10))
        } while ContinuousClock.now < execDeadline
        #expect(name == "sleep", "the simple command was not exec'ed: \(name ?? "?")")
        _ = await launcher.terminateAll()
        #expect(ProcessTable.livingMembers(ofGroup: compound).isEmpty && ProcessTable.livingMembers(ofGroup: simple).isEmpty)
    }

    @Test func onlyPlainSimpleCommandsAreExeced() {
        for command in ["sleep 60", "redis-server --port 1 --dir /tmp/x", "python3 -m http.server 8080", "sh -c 'sleep 60 & sleep 60'", "echo \"a; b\""] {
            #expect(PosixProcessLauncher.isSimple(command), "\(command)")
        }
        for command in ["a; b; c", "a && b", "a || b", "a | b", "a &", "(a)", "{ a; }", "FOO=1 a", "if true; then a; fi", "a\nb", "exec a", "echo 'a; b' ; c", "echo `date`"] {
            #expect(!PosixProcessLauncher.isSimple(command), "\(command)")
        }
    }

    /// A child runs nothing until drillbook has told the watchdog its group: the shell waits for
    /// the gate's `go`; end-of-file (drillbook died first) makes it exit 125 without running the
    /// command. Negative control: with `go` it runs.
    @Test func aChildRunsOnlyOnceItsGateOpens() throws {
        let (_, folder) = launcher()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (input, runs) in [("", false), ("go\n", true)] {
            let marker = folder.appendingPathComponent("ran-\(runs)").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", PosixProcessLauncher.gated("touch \(marker)", exec: false)]
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(Data(input.utf8))
            try pipe.fileHandleForWriting.close()
            process.waitUntilExit()
            #expect(process.terminationStatus == (runs ? 0 : 125))
            #expect(FileManager.default.fileExists(atPath: marker) == runs)
        }
    }

    /// A caller that is cancelled (an interrupt, the budget) gets its command's group killed at
    /// once: a 30 s command with a 60 s timeout ends as `stopped` within moments.
    @Test func aCancelledCallerStopsTheCommandAtOnce() async throws {
        let (launcher, folder) = launcher()
        defer { try? FileManager.default.removeItem(at: folder) }
        let marker = folder.appendingPathComponent("started").path
        let started = ContinuousClock.now
        let command = Task { await launcher.run("touch \(marker); sleep 30", timeout: 60) }
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: marker) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        command.cancel()
        let result = await command.value
        #expect(result.stopped && result.exitStatus == nil && !result.timedOut)
        // Far less than the command's 30 s, with a loaded machine's margin.
        #expect(ContinuousClock.now - started < .seconds(10))
        _ = await launcher.terminateAll()
    }

    @Test func aRunThatCleansUpLeavesTheWatchdogNothingToKill() async throws {
        let (launcher, folder) = launcher()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try launcher.start("sleep 60", name: "server")
        _ = await launcher.terminateAll()
        #expect(ProcessTable.livingMembers(ofGroup: server).isEmpty)
        // Every group was released, so the watchdog finds nothing to kill.
        #expect(await launcher.abandonForTesting() == .nothingLeft)
    }
}
}
