import DrillbookModel
import Foundation
import Synchronization
import Testing
@testable import DrillbookRunner

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loopback port that never completes a connect: a listening socket with a backlog of 0 whose
/// accept queue is filled by a few connections nobody accepts, so the kernel drops further SYNs
/// and a connect stays in progress until the client gives up. Nothing leaves 127.0.0.1.
final class BlackHoleListener {
    let port: UInt16
    private var descriptors: [Int32] = []

    init?() {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { return nil }
        descriptors.append(listener)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 0) == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        guard named == 0 else { return nil }
        port = UInt16(bigEndian: address.sin_port)
        // Fill the accept queue: connect until one connect stays in progress (bounded: 8 tries).
        var holding = false
        for _ in 0..<8 {
            let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard filler >= 0 else { break }
            descriptors.append(filler)
            _ = fcntl(filler, F_SETFL, fcntl(filler, F_GETFL) | O_NONBLOCK)
            var target = address
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var entry = pollfd(fd: filler, events: Int16(POLLOUT), revents: 0)
            if poll(&entry, 1, 300) == 0 {
                holding = true
                break
            }
        }
        guard holding else { return nil }
    }

    var hostPort: String { "127.0.0.1:\(port)" }

    deinit { for descriptor in descriptors { close(descriptor) } }
}

/// A network that only connects (through the real `TCPConnect`); HTTP is not used here.
struct ConnectOnlyNetwork: NetworkClient {
    func send(_ request: HTTPRequest) async -> Result<HTTPResponse, NetworkError> {
        .failure(NetworkError("no HTTP in this test"))
    }
    func connect(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> {
        await TCPConnect.probe(hostPort, timeout: timeout)
    }
    func load(_ request: HTTPRequest, rate: Double?, concurrency: Int, duration: Double) async -> LoadReport {
        LoadReport(acceptedLatenciesMs: [], requests: 0, errors: 0, rateLimited: 0, seconds: duration)
    }
}

/// Interrupts once a real clock passes an instant (`SIGTERM`).
struct InterruptAfter: InterruptSource {
    let instant: ContinuousClock.Instant
    init(seconds: Double) { instant = .now + .milliseconds(Int(seconds * 1000)) }
    var pending: String? { ContinuousClock.now >= instant ? "interrupted by SIGTERM" : nil }
}

extension RealDrills {
    /// An interrupt or the budget stops a running TCP connect probe at once, not at its timeout.
    /// Real sockets on 127.0.0.1 and real time: serialized with the real drills, so other servers
    /// do not race the bounds (which keep a loaded machine's margin).
    @Suite("Stopping a TCP connect at once")
    struct TCPConnectStopTests {
        /// The black hole really holds a connect: a probe with a 0.5 s timeout times out (the
        /// control: without it, the stop below would prove nothing).
        @Test func theBlackHoleHoldsAConnectUntilItsTimeout() async throws {
            let hole = try #require(BlackHoleListener(), "could not fill a loopback listener's accept queue")
            let started = ContinuousClock.now
            let result = await TCPConnect.probe(hole.hostPort, timeout: 0.5)
            let took = ContinuousClock.now - started
            #expect(failureMessage(result) == "connect to \(hole.hostPort) timed out after 0.5 s")
            #expect(took >= .milliseconds(450) && took < .seconds(3), "took \(took)")
        }

        /// A probe with a 30 s timeout, its task cancelled after 1 s, ends within 0.5 s of it.
        @Test func aCancelledConnectEndsWithinASlice() async throws {
            let hole = try #require(BlackHoleListener(), "could not fill a loopback listener's accept queue")
            let hostPort = hole.hostPort
            let probe = Task { await TCPConnect.probe(hostPort, timeout: 30) }
            try await Task.sleep(for: .seconds(1))
            let cancelled = ContinuousClock.now
            probe.cancel()
            let result = await probe.value
            let took = ContinuousClock.now - cancelled
            #expect(failureMessage(result) == "connect to \(hole.hostPort) stopped")
            #expect(took < .milliseconds(500), "took \(took) after the cancel")
        }

        /// The whole run: a steady-state `tcp:` probe to the black hole with a 30 s timeout,
        /// SIGTERM after 1 s: the run ends (aborted, nothing injected) within 0.5 s of it.
        @Test func anInterruptStopsASteadyStateTCPProbeAtOnce() async throws {
            let hole = try #require(BlackHoleListener(), "could not fill a loopback listener's accept queue")
            let folder = try scratchFolder("tcp-stop")
            defer { try? FileManager.default.removeItem(at: folder) }
            let drill = DrillDefinition(
                id: "tcp-stop", title: "TCP stop", category: .infrastructureResilience, objective: "Stop at once.",
                allocatedDuration: "10m",
                execution: DrillExecution(
                    steadyState: [Probe(name: "port answers", tcp: hole.hostPort, timeout: 30)],
                    fault: [FaultAction(name: "never", run: "true")]))
            let interrupts = InterruptAfter(seconds: 1)
            let engine = DrillEngine(
                clock: SystemDrillClock(), launcher: PosixProcessLauncher(directory: folder), network: ConnectOnlyNetwork(),
                interrupts: interrupts)
            let run = await engine.run(drill, variables: RunVariables(values: [:]), settings: RunSettings())
            let late = ContinuousClock.now - interrupts.instant
            #expect(run.outcome == .aborted && run.abortReason == "interrupted by SIGTERM", "\(run.outcome) \(run.abortReason ?? "")")
            #expect(late < .milliseconds(500), "the run ended \(late) after the interrupt")
        }
    }
}

/// The failure's message, or nil when the connect succeeded.
func failureMessage(_ result: Result<Double, NetworkError>) -> String? {
    if case .failure(let error) = result { return error.message }
    return nil
}

/// A fresh folder for one run's child output, removed by the caller.
func scratchFolder(_ purpose: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-\(purpose)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}
