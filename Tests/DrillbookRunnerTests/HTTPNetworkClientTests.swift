import DrillbookModel
import Foundation
import Testing
@testable import DrillbookRunner

#if canImport(Glibc)
import Glibc
#endif

extension RealDrills {
/// The libcurl-backed client against a real `python3 -m http.server` on 127.0.0.1; a server,
/// so serialized with the drills (`RealDrills`).
@Suite("HTTP client on loopback", .enabled(if: NginxAvailability.has("python3"), "python3 is not installed"))
struct HTTPNetworkClientTests {
    /// A python3 file server (HTTP/1.1, keep-alive) over a temporary folder, stopped by pid.
    final class FileServer {
        let folder: URL
        let launcher: PosixProcessLauncher
        let port: Int

        init() async throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-http-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("site/sub"), withIntermediateDirectories: true)
            try Data("hello".utf8).write(to: folder.appendingPathComponent("site/hello.txt"))
            try Data(repeating: 0x61, count: 2 << 20).write(to: folder.appendingPathComponent("site/big.txt"))
            launcher = PosixProcessLauncher(directory: folder)
            port = RunVariables.freePorts(1)[0]
            let pid = try launcher.start(
                "python3 -m http.server \(port) --bind 127.0.0.1 --protocol HTTP/1.1 --directory \(folder.path)/site",
                name: "http-server")
            for _ in 0..<100 {
                if case .success = await TCPConnect.probe("127.0.0.1:\(port)", timeout: 1) { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("python3 http.server did not start on \(port): \(launcher.output(of: pid))")
        }

        func stop() async {
            _ = await launcher.terminateAll()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// Runs `body` with a started server and a client, stopping both afterwards.
    func withServer(_ body: (FileServer, HTTPNetworkClient) async throws -> Void) async throws {
        let server = try await FileServer()
        do {
            try await HTTPNetworkClient.withClient(connectionsPerHost: 4) { try await body(server, $0) }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func statusBodyRedirectsAndBodyLimit() async throws {
        try await withServer { server, client in
            let base = "http://127.0.0.1:\(server.port)"
            let hello = try await client.request(method: "GET", url: base + "/hello.txt", timeout: 5).get()
            #expect(hello.status == 200 && hello.body == "hello" && hello.latency > 0)
            let named = try await client.request(method: "get", url: "http://localhost:\(server.port)/hello.txt", timeout: 5).get()
            #expect(named.status == 200 && named.body == "hello")
            // Redirects are reported, not followed.
            #expect(try await client.request(method: "GET", url: base + "/sub", timeout: 5).get().status == 301)
            #expect(try await client.request(method: "GET", url: base + "/missing", timeout: 5).get().status == 404)
            // A 2 MiB body: the first MiB is kept, the rest read and dropped, and the connection still works.
            let big = try await client.request(method: "GET", url: base + "/big.txt", timeout: 5).get()
            #expect(big.status == 200 && big.body.utf8.count == HTTPNetworkClient.bodyLimit)
            #expect(try await client.request(method: "HEAD", url: base + "/hello.txt", timeout: 5).get().status == 200)
        }
    }

    @Test func nonLoopbackHostsAreRefusedBeforeAnyRequest() async {
        await HTTPNetworkClient.withClient { client in
            for url in ["http://example.com/", "http://10.0.0.1:80/", "https://192.168.0.1/", "ftp://127.0.0.1/", "not a url"] {
                guard case .failure(let error) = await client.request(method: "GET", url: url, timeout: 1) else {
                    Issue.record("accepted \(url)")
                    continue
                }
                #expect(error.message.hasPrefix("refused: ") || error.message.contains("not an http:// or https:// URL"), "\(error)")
            }
            let report = await client.load(url: "http://example.com/", rate: 10, concurrency: 2, duration: 1)
            #expect(report.requests == 1 && report.errors == 1 && report.accepted == 0)
        }
    }

    @Test func refusedConnectionsFailAtOnceAndSilentServersTimeOut() async throws {
        // A listening socket that never accepts: the kernel completes the handshake, nobody answers.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == 0 && listen(fd, 8) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let silentPort = Int(UInt16(bigEndian: address.sin_port))
        let closedPort = RunVariables.freePorts(1)[0]
        await HTTPNetworkClient.withClient { client in
            let silent = await client.request(method: "GET", url: "http://127.0.0.1:\(silentPort)/", timeout: 0.3)
            #expect(silent.failure?.message == "timed out after 0.3 s")
            let start = ContinuousClock.now
            let refused = await client.request(method: "GET", url: "http://127.0.0.1:\(closedPort)/", timeout: 5)
            #expect(refused.failure?.message == "connect to 127.0.0.1:\(closedPort) failed: Connection refused")
            // At once, not after retries until the deadline; and in words naming the host the URL names.
            #expect(ContinuousClock.now - start < .seconds(2))
            let named = await client.request(method: "GET", url: "http://localhost:\(closedPort)/", timeout: 5)
            #expect(named.failure?.message == "connect to localhost:\(closedPort) failed: Connection refused")
            let load = await client.load(url: "http://127.0.0.1:\(closedPort)/", rate: 20, concurrency: 2, duration: 0.5)
            #expect(load.requests > 0 && load.requests <= 10 && load.errors == load.requests && load.accepted == 0)
        }
    }

    @Test func theLoadStepIsPacedAndRecordsEveryAnswer() async throws {
        try await withServer { server, client in
            let url = "http://127.0.0.1:\(server.port)/hello.txt"
            let paced = await client.load(url: url, rate: 40, concurrency: 3, duration: 0.5)
            // Open-model pacing: request i is due at i / rate, so at most rate × duration are sent.
            #expect(paced.requests > 0 && paced.requests <= 20)
            #expect(paced.errors == 0 && paced.rateLimited == 0 && paced.accepted == paced.requests)
            let p50 = try #require(paced.percentile(50))
            let p99 = try #require(paced.percentile(99))
            #expect(p50 > 0 && p50 <= p99 && p99 <= (paced.maxLatencyMs ?? 0) * 1.001)
            // Unpaced: workers send again as soon as answered; 404s are answers, not errors.
            let unpaced = await client.load(url: "http://127.0.0.1:\(server.port)/missing", rate: nil, concurrency: 2, duration: 0.3)
            #expect(unpaced.requests > 0 && unpaced.errors == 0 && unpaced.accepted == unpaced.requests)
        }
    }

    @Test func cancellingALoadStepStopsItsWorkers() async throws {
        try await withServer { server, client in
            let url = "http://127.0.0.1:\(server.port)/hello.txt"
            let task = Task { await client.load(url: url, rate: 100, concurrency: 4, duration: 60) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let report = await task.value
            // 6,000 requests were due over the minute; the cancelled step sent only the first few.
            #expect(report.requests < 6_000)
        }
    }
}
}

@Suite("Load report percentiles")
struct LoadReportTests {
    @Test func percentilesComeFromTheHistogramWithinATenthOfAPercent() {
        var report = LoadReport(acceptedLatenciesMs: (1...1000).map { Double($0) / 10 }, requests: 1010, errors: 5, rateLimited: 5, seconds: 2)
        #expect(report.accepted == 1000)
        for (p, exact) in [(50.0, 50.0), (95.0, 95.0), (99.0, 99.0)] {
            let value = report.percentile(p) ?? 0
            #expect(value >= exact && value <= exact * 1.001, "p\(p) = \(value)")
        }
        #expect(report.maxLatencyMs == 100)
        report.add(LoadReport(acceptedLatenciesMs: [250], requests: 1))
        #expect(report.maxLatencyMs == 250 && report.requests == 1011)
        let names = report.metrics(prefix: "burst", offeredRate: 500).map(\.name)
        #expect(names == [
            "burst_requests", "burst_throughput_rps", "burst_error_rate", "burst_rate_limited_share",
            "burst_p50_ms", "burst_p95_ms", "burst_p99_ms", "burst_max_ms", "burst_offered_rps",
        ])
        #expect(LoadReport(requests: 3, errors: 3).metrics(prefix: "x", offeredRate: nil).count == 4)
        #expect(LoadReport(acceptedLatenciesMs: [120_000]).maxLatencyMs == 60_000)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
