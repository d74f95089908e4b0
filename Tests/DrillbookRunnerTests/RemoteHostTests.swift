import DrillbookContent
import DrillbookModel
import Foundation
import Testing
@testable import DrillbookRunner

extension RealDrills {
/// "Remote" hosts are servers bound to 127.0.0.2 and 127.0.0.3 only (issue 12 point 8): the client
/// treats them like any other host. Nothing here sends anything beyond 127.0.0.0/8.
@Suite("HTTP to other hosts", .enabled(if: NginxAvailability.has("python3"), "python3 is not installed"))
struct RemoteHostTests {
    @Test func methodHeadersAndBodyReachTheHostTheURLNames() async throws {
        try await TestHTTPServer.with(host: "127.0.0.2") { server in
            try await HTTPNetworkClient.withClient { client in
                let request = HTTPRequest(
                    method: "PUT", url: server.base + "/echo", headers: ["X-Drill": "1.2", "Authorization": "Bearer t0ken"],
                    body: #"{"order": 42}"#, timeout: 5)
                let echo = try await client.send(request).get()
                #expect(echo.status == 200)
                #expect(ProbeEvaluator.jsonValue(in: echo.body, path: "method") == "PUT")
                #expect(ProbeEvaluator.jsonValue(in: echo.body, path: "$.headers['x-drill']") == "1.2")
                #expect(ProbeEvaluator.jsonValue(in: echo.body, path: "headers.authorization") == "Bearer t0ken")
                #expect(ProbeEvaluator.jsonValue(in: echo.body, path: "$.headers.user-agent") == "drillbook")
                #expect(ProbeEvaluator.jsonValue(in: echo.body, path: "body") == #"{"order": 42}"#)
                // A POST without a body still says so (Content-Length: 0); HEAD gets no body.
                let post = try await client.send(HTTPRequest(method: "POST", url: server.base + "/echo")).get()
                #expect(ProbeEvaluator.jsonValue(in: post.body, path: "$.headers.content-length") == "0")
                #expect(try await client.send(HTTPRequest(method: "HEAD", url: server.base + "/echo")).get().body == "")
                // The server listens on 127.0.0.2 only: the same port on 127.0.0.1 is refused, in words naming it.
                let elsewhere = await client.request(method: "GET", url: "http://127.0.0.1:\(server.port)/echo", timeout: 2)
                #expect(elsewhere.failure?.message == "connect to 127.0.0.1:\(server.port) failed: Connection refused")
            }
        }
    }

    /// Keep-alive: forty sequential requests travel over one connection; a client that opened a
    /// connection per request (the negative control: `Connection: close`) makes the server count forty.
    @Test func sequentialRequestsReuseOneConnection() async throws {
        try await TestHTTPServer.with(host: "127.0.0.3") { server in
            try await HTTPNetworkClient.withClient { client in
                for _ in 0..<40 { _ = try await client.send(HTTPRequest(url: server.base + "/echo")).get() }
                #expect(try await client.send(HTTPRequest(url: server.base + "/connections")).get().body == "1")
                for _ in 0..<10 {
                    _ = try await client.send(HTTPRequest(url: server.base + "/echo", headers: ["Connection": "close"])).get()
                }
                #expect(try await client.send(HTTPRequest(url: server.base + "/connections")).get().body == "11")
            }
        }
    }

    /// The load step's latencies are libcurl's own transfer times: against a server that sleeps 50 ms
    /// per request, p95 is within 10 % (5 ms) or 2 ms of 50 ms and of the server's own p95 for the
    /// same requests (the server reports the delay it really gave: under a load average of 20,
    /// `time.sleep(0.05)` itself takes 55-65 ms), and nothing is faster than the delay. The control: the same check
    /// against the server's 0 ms answers fails.
    @Test func loadLatenciesMatchAKnownServerDelay() async throws {
        func withinTolerance(_ p95: Double, of reference: Double) -> Bool { abs(p95 - reference) <= max(reference * 0.1, 2) }
        func p95(_ values: [Double]) -> Double? {
            values.isEmpty ? nil : values.sorted()[min(values.count - 1, Int((Double(values.count) * 0.95).rounded(.up)) - 1)]
        }
        try await TestHTTPServer.with(host: "127.0.0.2") { server in
            try await HTTPNetworkClient.withClient(connectionsPerHost: 4) { client in
                _ = try await client.send(HTTPRequest(url: server.base + "/service-times")).get()
                let slow = await client.load(HTTPRequest(url: server.base + "/delay/50"), rate: 20, concurrency: 2, duration: 3)
                let times = try await client.send(HTTPRequest(url: server.base + "/service-times")).get().body
                let served = try JSONDecoder().decode([Double].self, from: Data(times.utf8))
                #expect(slow.errors == 0 && slow.accepted == slow.requests && slow.requests >= 40 && served.count == slow.requests)
                let p50 = try #require(slow.percentile(50))
                let clientP95 = try #require(slow.percentile(95))
                let serverP95 = try #require(p95(served))
                #expect(p50 >= 50, "client p50 \(p50) ms against a 50 ms delay")
                print("load against a 50 ms delay: client p50 \(p50) ms, p95 \(clientP95) ms; server p95 \(serverP95) ms")
                // The reference is the delay the server really gave (its own p95). When the machine is
                // saturated by others, the server's sleep overruns (its p95 above 55 ms) and the client's
                // thread is scheduled late too: a known intermittent issue, as for the other timing
                // checks (issue 11). On a machine that keeps the delay, it is enforced.
                withKnownIssue("the machine did not keep the delay (server p95 \(serverP95) ms)", isIntermittent: true) {
                    #expect(withinTolerance(clientP95, of: serverP95), "client p95 \(clientP95) ms, server p95 \(serverP95) ms")
                } when: {
                    serverP95 > 55
                }
                // Against the nominal 50 ms too, when the server kept it (its p95 within 2 ms of it): a
                // fresh-clone CI run saw the server give 53.8 ms and the client measure 57.2 ms, 3.3 ms
                // more than the server gave but 7.2 ms more than the nominal delay.
                if serverP95 <= 52 {
                    #expect(withinTolerance(clientP95, of: 50), "client p95 \(clientP95) ms against 50 ms, server p95 \(serverP95) ms")
                }
                let fast = await client.load(HTTPRequest(url: server.base + "/delay/0"), rate: 20, concurrency: 2, duration: 1)
                let fastP95 = try #require(fast.percentile(95))
                #expect(!withinTolerance(fastP95, of: serverP95), "the control: p95 \(fastP95) ms of 0 ms answers")
                // Method, headers and body go with every request of the step.
                let posted = await client.load(
                    HTTPRequest(method: "POST", url: server.base + "/echo", headers: ["X-Load": "1"], body: "x"), rate: 20, concurrency: 2,
                    duration: 0.5)
                #expect(posted.errors == 0 && posted.requests > 0)
            }
        }
    }

    @Test func aCancelledRequestEndsAtOnce() async throws {
        try await TestHTTPServer.with(host: "127.0.0.2") { server in
            await HTTPNetworkClient.withClient { client in
                let request = HTTPRequest(url: server.base + "/delay/5000", timeout: 10)
                let task = Task { await client.send(request) }
                try? await Task.sleep(for: .milliseconds(200))
                let cancelled = ContinuousClock.now
                task.cancel()
                let result = await task.value
                #expect(result.failure?.message == "cancelled")
                #expect(ContinuousClock.now - cancelled < .seconds(2))
            }
        }
    }

    /// The allowlist decides which hosts may be reached; the default is loopback only. A name it
    /// lists is let through to the resolver (`.invalid` never resolves, so nothing is sent).
    @Test func theAllowlistIsCheckedBeforeAnythingIsSent() async {
        #expect(NetworkTarget.host(of: "https://Api.Example.test:8443/x?y") == "Api.Example.test")
        #expect(NetworkTarget.host(of: "[::1]:6379") == "::1")
        #expect(NetworkTarget.host(of: "db.internal:5432") == "db.internal")
        #expect(NetworkTarget.host(of: "no port") == nil)
        let local = BlastRadius.localRealisation
        #expect(local.refusal(host: "127.0.0.3") == nil && local.refusal(host: "localhost") == nil)
        #expect(local.refusal(host: "10.0.0.1") == "10.0.0.1 is not among the hosts a local realisation allows (127.0.0.0/8, ::1, localhost)")
        let radius = BlastRadius(allowlist: HostAllowlist(["drillbook-test.invalid"]), owner: "environment test")
        await HTTPNetworkClient.withClient(radius: radius) { client in
            let network = BlastRadiusNetwork(base: client, radius: radius, secrets: SecretValues())
            let listed = await network.request(method: "GET", url: "https://drillbook-test.invalid/", timeout: 2)
            #expect(listed.failure?.message == "could not resolve drillbook-test.invalid")
            let unlisted = await network.request(method: "GET", url: "https://other.invalid/", timeout: 2)
            #expect(unlisted.failure?.message == "refused: other.invalid could not be resolved, and it is not among the hosts environment test allows (drillbook-test.invalid); nothing was sent")
            #expect(await network.connect("10.1.2.3:80", timeout: 1).failure?.message == "refused: 10.1.2.3 is not among the hosts environment test allows (drillbook-test.invalid); nothing was sent")
        }
    }

    /// An HTTP probe with every check the drill format offers, against 127.0.0.3; each check has a
    /// variant that fails.
    @Test func anHTTPProbeChecksStatusBodyRegexAndJSONPath() async throws {
        try await TestHTTPServer.with(host: "127.0.0.3") { server in
            await HTTPNetworkClient.withClient { client in
                let evaluator = ProbeEvaluator(launcher: PosixProcessLauncher(directory: server.folder), network: client)
                let probe = Probe(
                    name: "api", contains: "order", http: server.base + "/echo", status: 200, jsonField: "$.items[0].id", jsonValue: "7",
                    method: "POST", headers: ["X-Drill": "yes"], body: "order=1", matches: #""method": "POST".*"x-drill": "yes""#)
                let held = await evaluator.attempt(probe)
                #expect(held.holds, "\(held.detail)")
                var wrongValue = probe
                wrongValue.jsonValue = "8"
                #expect(await evaluator.attempt(wrongValue).detail.hasSuffix(", $.items[0].id is 7 (expected 8)"))
                var noMatch = probe
                noMatch.matches = #""method": "GET""#
                #expect(await evaluator.attempt(noMatch).detail.hasSuffix(#", body does not match /"method": "GET"/"#))
                var wrongStatus = probe
                wrongStatus.http = server.base + "/status/503"
                #expect(await evaluator.attempt(wrongStatus).detail.hasSuffix("(expected 200)"))
                // Redirects are answers, not followed.
                let redirect = Probe(name: "r", http: server.base + "/redirect", status: 302)
                #expect(await evaluator.attempt(redirect).holds)
            }
        }
    }
}

/// HTTPS against a server whose certificate a CA made by the test signed (IP SAN 127.0.0.2).
@Suite(
    "HTTPS with a CA file", .enabled(if: NginxAvailability.has("python3") && TestCertificates.opensslInstalled, "python3 or openssl is missing"))
struct TLSTests {
    @Test func theCAFileIsTrustedTheSystemStoreAloneIsNotAndTheHostMustMatch() async throws {
        let certificates = try await TestCertificates()
        defer { certificates.remove() }
        let tls = (certificate: certificates.certificate, key: certificates.key)
        try await TestHTTPServer.with(host: "127.0.0.2", tls: tls) { server in
            try await TestHTTPServer.with(host: "127.0.0.3", tls: tls) { wrongHost in
                try await HTTPNetworkClient.withClient { client in
                    let url = "https://127.0.0.2:\(server.port)/echo"
                    let trusted = try await client.send(HTTPRequest(url: url, caFile: certificates.caFile)).get()
                    #expect(trusted.status == 200)
                    // Keep-alive over TLS too.
                    _ = try await client.send(HTTPRequest(url: url, caFile: certificates.caFile)).get()
                    let count = try await client.send(HTTPRequest(url: "https://127.0.0.2:\(server.port)/connections", caFile: certificates.caFile)).get()
                    #expect(count.body == "1")
                    // Without the CA file (the system store only) and with another CA: not trusted.
                    for caFile in [nil, certificates.otherCAFile] {
                        let refused = await client.send(HTTPRequest(url: url, caFile: caFile))
                        let message = refused.failure?.message ?? "accepted"
                        #expect(
                            message.hasPrefix("TLS to 127.0.0.2:\(server.port) failed: the certificate is not trusted (")
                                && message.hasSuffix("); name its CA with caFile"), "\(message)")
                    }
                    // The same certificate presented by 127.0.0.3: it does not name that host.
                    let mismatch = await client.send(HTTPRequest(url: "https://127.0.0.3:\(wrongHost.port)/echo", caFile: certificates.caFile))
                    let message = mismatch.failure?.message ?? "accepted"
                    #expect(message.hasPrefix("TLS to 127.0.0.3:\(wrongHost.port) failed: the certificate does not name this host ("), "\(message)")
                    let missing = await client.send(HTTPRequest(url: url, caFile: certificates.folder.path + "/none.pem"))
                    #expect(missing.failure?.message == "CA file \(certificates.folder.path)/none.pem cannot be read")
                }
            }
        }
    }
}
}
