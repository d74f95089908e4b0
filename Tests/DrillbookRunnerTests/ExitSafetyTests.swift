import DrillbookModel
import Foundation
import Testing
@testable import DrillbookRunner

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every exit of `drillbook run` is safe: the built executable, run in a session of its own with
/// a private temporary folder, is signalled, has its standard output closed, runs out of budget
/// or is killed outright, and afterwards no process of its session (or naming its folder) is
/// alive and no run folder is left. Part of the serialized real-drill family: these runs time
/// their exits and must not share the machine with a drill measuring recovery.
extension RealDrills {
    @Suite("Every exit is safe", .enabled(if: ExitHarness.tool != nil, "no built drillbook beside the tests"))
    struct ExitSafetyTests {
        /// The phase a test drill is in while one command of it sleeps: each phase's command writes a
        /// marker, then sleeps 30 s in the phase under test only.
        enum Phase: String, CaseIterable, Sendable {
            case setup, steadyState, fault, measure
            /// Only a fault action that began leaves something to roll back.
            var faultInjected: Bool { self == .fault || self == .measure }
        }

        static let signals: [(Int32, String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP"), (SIGQUIT, "SIGQUIT")]

        /// A drill whose command in `phase` writes `<phase>` to the markers folder and sleeps 30 s;
        /// every other command is quick. Rollback writes `rollback`.
        static func drill(sleepingIn phase: Phase?, markers: URL, budget: String = "10m", setupCommand: String? = nil) -> String {
            func step(_ name: Phase, _ tail: String = "") -> String {
                "touch \(markers.path)/\(name.rawValue)" + (phase == name ? "; sleep 30" : "") + tail
            }
            return """
                id: exit-safety
                title: Exit safety
                category: infrastructure-resilience
                objective: Every exit rolls back what was injected and leaves nothing behind
                allocatedDuration: \(budget)
                successCriteria:
                  - id: measured
                    text: The measurement ends
                    metric: measured_seconds
                    comparison: "<="
                    target: 60
                    unit: s
                execution:
                  setup:
                    - name: server
                      run: sleep 300
                      background: true
                    - name: prepare
                      run: "\(setupCommand ?? step(.setup))"
                      timeout: 60
                  steadyState:
                    - name: only probe
                      command: "\(step(.steadyState))"
                      timeout: 60
                  fault:
                    - name: inject
                      run: "\(step(.fault))"
                      timeout: 60
                  measure:
                    - metric: measured_seconds
                      from: fault.injected
                      interval: 0.2
                      timeout: 60
                      probe: { name: slow measure, command: "\(step(.measure))", timeout: 60 }
                  rollback:
                    - name: undo
                      run: touch \(markers.path)/rollback
                      timeout: 10
                """
        }

        @Test("A signal in each phase rolls back iff the fault action ran, aborts at once and leaves nothing", arguments: Phase.allCases)
        func signalsInEachPhase(phase: Phase) async throws {
            for (number, name) in Self.signals {
                let run = try ExitHarness(drill: { Self.drill(sleepingIn: phase, markers: $0) })
                defer { run.cleanUp() }
                #expect(await run.waitForMarker(phase.rawValue), "\(name) \(phase): the phase never began")
                let sent = ContinuousClock.now
                try run.send(number)
                let status = await run.exitStatus()
                let took = ContinuousClock.now - sent
                #expect(status == 1, "\(name) \(phase): exit \(String(describing: status))")
                // The sleeping command is killed at once: far less than its 30 s (a loaded machine's margin).
                #expect(took < .seconds(8), "\(name) \(phase): took \(took) to exit")
                let record = try #require(run.record(), "\(name) \(phase): no record")
                #expect(record.outcome == .aborted && record.abortReason == "interrupted by \(name)", "\(name) \(phase): \(record.outcome) \(record.abortReason ?? "")")
                #expect(run.marker("rollback") == phase.faultInjected, "\(name) \(phase): rollback ran: \(run.marker("rollback"))")
                let left = await run.leftovers()
                #expect(left.isEmpty, "\(name) \(phase): \(left)")
            }
        }

        /// `drillbook run … | head -1`: the reader goes away while the fault's command runs.
        @Test func aClosedStandardOutputAbortsRollsBackAndWritesTheRecord() async throws {
            let run = try ExitHarness(pipeOutput: true, drill: { Self.drill(sleepingIn: .fault, markers: $0) })
            defer { run.cleanUp() }
            #expect(await run.waitForMarker(Phase.fault.rawValue))
            let closed = ContinuousClock.now
            run.closeOutput()
            #expect(await run.exitStatus() == 1)
            #expect(ContinuousClock.now - closed < .seconds(8))
            let record = try #require(run.record())
            #expect(record.outcome == .aborted && record.abortReason == "standard output was closed")
            #expect(run.marker("rollback"))
            #expect(await run.leftovers().isEmpty)
        }

        /// A 3 s budget and a 20 s setup step: the step is killed when the budget is used up, not
        /// when it ends by itself. Negative control: the same step with a 10 min budget runs its 20 s.
        @Test func theBudgetStopsARunningSetupStep() async throws {
            let run = try ExitHarness(drill: { Self.drill(sleepingIn: nil, markers: $0, budget: "3s", setupCommand: "sleep 20") })
            defer { run.cleanUp() }
            let started = ContinuousClock.now
            #expect(await run.exitStatus() == 1)
            let took = ContinuousClock.now - started
            // 3 s of budget, plus start-up and a loaded machine's margin: far less than 20 s.
            #expect(took < .seconds(9), "took \(took)")
            let record = try #require(run.record())
            #expect(record.outcome == .aborted && record.abortReason == "the drill's time budget of 3s was used up")
            #expect(!run.marker("rollback"))
            #expect(await run.leftovers().isEmpty)
        }

        /// 30 SIGKILLs at random moments of the Redis Sentinel drill (as on main), real redis-server
        /// and redis-sentinel: no process of drillbook's session, none naming its folder, and no run
        /// folder may be left. Half the kills land in the first second (servers starting), the rest
        /// anywhere in the drill's run.
        @Test(.enabled(if: ExitHarness.redisInstalled, "redis-server, redis-sentinel or redis-cli is not installed"))
        func thirtySigkillsOfTheRedisDrillLeaveNothing() async throws {
            let drillFile = ExitHarness.root.appendingPathComponent("content/drills/redis-sentinel-failover.yaml")
            var generator = SystemRandomNumberGenerator()
            var leftovers: [String] = []
            for index in 0..<30 {
                let moment = index % 2 == 0 ? Double.random(in: 0...1, using: &generator) : Double.random(in: 0...8, using: &generator)
                let run = try ExitHarness(drillFile: drillFile)
                defer { run.cleanUp() }
                try await Task.sleep(for: .milliseconds(Int(moment * 1000)))
                try run.send(SIGKILL)
                _ = await run.exitStatus()
                let left = await run.leftovers()
                if !left.isEmpty { leftovers.append("kill \(index + 1) at \(moment) s: \(left)") }
            }
            #expect(leftovers.isEmpty, "\(leftovers.count) of 30 SIGKILLs left something: \(leftovers)")
        }
    }
}

/// One `drillbook run --yes` of a drill in a session of its own, with its own temporary folder
/// (`TMPDIR`), records folder and markers folder.
final class ExitHarness: @unchecked Sendable {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built executable beside the test bundle, or in the package's `.build/debug/`.
    static let tool: URL? = {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL { candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("drillbook")) }
        candidates.append(root.appendingPathComponent(".build/debug/drillbook"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static let redisInstalled = ["redis-server", "redis-sentinel", "redis-cli"].allSatisfy { tool in
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    let folder: URL
    let temporary: URL
    let markers: URL
    let pid: Int32
    private let exit: ChildExit
    private var outputReader: Int32 = -1

    convenience init(pipeOutput: Bool = false, drill: (URL) -> String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-exits-\(UUID().uuidString.prefix(8))")
        let markers = folder.appendingPathComponent("markers")
        try FileManager.default.createDirectory(at: markers, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("drill.yaml")
        try drill(markers).write(to: file, atomically: true, encoding: .utf8)
        try self.init(folder: folder, drillFile: file, pipeOutput: pipeOutput)
    }

    convenience init(drillFile: URL) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-exits-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("markers"), withIntermediateDirectories: true)
        try self.init(folder: folder, drillFile: drillFile, pipeOutput: false)
    }

    private init(folder: URL, drillFile: URL, pipeOutput: Bool) throws {
        let tool = try #require(Self.tool)
        self.folder = folder
        temporary = folder.appendingPathComponent("tmp")
        markers = folder.appendingPathComponent("markers")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporary.path
        let arguments = [tool.path, "run", "--yes", "--records", folder.appendingPathComponent("records").path, drillFile.path]

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 0x80): a session of its own, so everything it starts is findable.
        posix_spawnattr_setflags(&attributes, Int16(0x80 | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var pipeEnds: [Int32] = [-1, -1]
        if pipeOutput {
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pipeEnds) == 0 else {
                throw POSIXError(.EMFILE)
            }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, folder.appendingPathComponent("out").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        posix_spawn_file_actions_addopen(&actions, 2, folder.appendingPathComponent("err").path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") }
        envp.append(nil)
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: Int32 = 0
        let result = posix_spawn(&pid, tool.path, &actions, &attributes, argv, envp)
        if pipeOutput { _ = Glibc.close(pipeEnds[1]) }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EPERM) }
        self.pid = pid
        exit = ChildExit(reaping: pid)
        outputReader = pipeEnds[0]
        if pipeOutput { drain() }
    }

    /// Reads the run's output on a thread of its own until `closeOutput()` (a pipe must be read).
    private func drain() {
        let reader = outputReader
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            // Bounded: ends at end-of-file or when the reading end is shut down.
            while buffer.withUnsafeMutableBytes({ recv(reader, $0.baseAddress, $0.count, 0) }) > 0 {}
        }
        thread.start()
    }

    /// Goes away as `head -1` does: the run's next write (or its next check) fails.
    func closeOutput() {
        guard outputReader >= 0 else { return }
        shutdown(outputReader, Int32(SHUT_RDWR))
        _ = Glibc.close(outputReader)
        outputReader = -1
    }

    func send(_ signal: Int32) throws {
        guard !exit.hasExited else { return }
        if kill(pid, signal) != 0 { throw POSIXError(.ESRCH) }
    }

    /// The exit code (nil when a signal ended it), waiting at most 90 s.
    func exitStatus() async -> Int? {
        guard await exit.exited(within: .seconds(90), on: ContinuousClock()) else {
            kill(pid, SIGKILL)
            _ = await exit.exited(within: .seconds(5), on: ContinuousClock())
            return -1
        }
        return exit.exitCode
    }

    func marker(_ name: String) -> Bool { FileManager.default.fileExists(atPath: markers.appendingPathComponent(name).path) }

    /// Waits (at most 60 s) until the drill wrote the marker `name`.
    func waitForMarker(_ name: String) async -> Bool {
        for _ in 0..<6000 {
            if marker(name) { return true }
            if exit.hasExited { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    func record() -> DrillRun? {
        let records = folder.appendingPathComponent("records")
        guard let years = try? FileManager.default.contentsOfDirectory(atPath: records.path) else { return nil }
        for year in years {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: records.appendingPathComponent(year).path)) ?? []
            if let file = files.first(where: { $0.hasSuffix(".json") }),
                let data = FileManager.default.contents(atPath: records.appendingPathComponent(year).appendingPathComponent(file).path) {
                return try? JSONDecoder().decode(DrillRun.self, from: data)
            }
        }
        return nil
    }

    /// What is left once drillbook exited, waiting up to 10 s for the watchdog to finish (it
    /// escalates after one second): processes of the session, processes naming the private
    /// temporary folder, run folders in it. Kills what it finds, by pid.
    func leftovers() async -> [String] {
        var found: [String] = []
        for _ in 0..<1000 {
            found = Self.members(ofSession: pid).map { "pid \($0) in the session" }
                + Self.processes(naming: temporary.path).map { "pid \($0) names the run folder" }
                + ((try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []).filter { $0.hasPrefix("drillbook-") }.map { "folder \($0)" }
            if found.isEmpty { return [] }
            try? await Task.sleep(for: .milliseconds(10))
        }
        for pid in Set(Self.members(ofSession: pid) + Self.processes(naming: temporary.path)) { kill(pid, SIGKILL) }
        return found
    }

    func cleanUp() {
        closeOutput()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Living processes whose session is `session`.
    static func members(ofSession session: Int32) -> [Int32] {
        processes { _, fields, _ in fields.count > 3 && Int32(fields[3]) == session }
    }

    /// Living processes whose command line contains `text` (not this test process).
    static func processes(naming text: String) -> [Int32] {
        processes { pid, _, commandLine in pid != getpid() && commandLine.contains(text) }
    }

    private static func processes(where matches: (Int32, [Substring], String) -> Bool) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var found: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state ppid pgrp session …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard let state = fields.first, state != "Z", state != "X" else { continue }
            let commandLine = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline").map {
                String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            } ?? ""
            if matches(pid, Array(fields), commandLine) { found.append(pid) }
        }
        return found.sorted()
    }
}
