import Foundation
import Testing
@testable import DrillbookRunner

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Host names are never rewritten: an address is connected to as written, a name goes to what the
/// resolver says, and the default allowlist allows loopback addresses only. Servers bound to 127.0.0.2 only, so a
/// probe that went to 127.0.0.1 instead (the old rewrite) fails: the negative control.
@Suite("Hosts are connected to as written")
struct HostAddressTests {
    @Test func addressesAreKeptAndNamesResolved() throws {
        let target = try NetworkTarget.parse(url: "http://127.0.0.2:81/a?b=1").get()
        #expect(target.host == "127.0.0.2" && target.url == "http://127.0.0.2:81/a?b=1" && target.hostPort == "127.0.0.2:81")
        #expect(try NetworkTarget.parse(url: "https://[::1]/").get().hostPort == "[::1]:443")
        #expect(try NetworkTarget.parse(hostPort: "127.1.2.3:6379").get().address == "127.1.2.3")
        #expect(try NetworkTarget.parse(hostPort: "[::1]:6379").get().addressAndPort == "[::1]:6379")
        // A name goes where the resolver says (localhost: a loopback address), and messages keep the name.
        let named = try NetworkTarget.parse(hostPort: "localhost:8080").get()
        #expect(["127.0.0.1", "::1"].contains(named.address) && named.hostPort == "localhost:8080")
        // `127.example.com` is a name, not an address: allowed only if the resolver says loopback.
        let resolved = NetworkTarget.addresses(of: "127.example.com", numericOnly: false)?.first?.text
        if BlastRadius.localRealisation.refusal(host: "127.example.com") == nil { #expect(resolved?.hasPrefix("127.") == true) }
        for refused in ["10.0.0.1", "8.8.8.8", "::2", "[::2]"] {
            #expect(BlastRadius.localRealisation.refusal(host: refused) != nil, "accepted \(refused)")
        }
        #expect(BlastRadius.localRealisation.refusal(ofTarget: "192.168.1.1:80") != nil)
        #expect(BlastRadius.localRealisation.refusal(ofTarget: "http://[::1]:80/") == nil)
    }

    /// A TCP listener on 127.0.0.2 only: the probe to 127.0.0.2 connects; the same port on
    /// 127.0.0.1 is refused (where the old rewrite sent every 127.x probe).
    @Test func aTCPProbeTo127_0_0_2ReachesAServerBoundThere() async throws {
        let (listener, port) = try Self.listen(on: "127.0.0.2")
        defer { close(listener) }
        guard case .success = await TCPConnect.probe("127.0.0.2:\(port)", timeout: 2) else {
            Issue.record("the probe did not reach 127.0.0.2:\(port)")
            return
        }
        if case .success = await TCPConnect.probe("127.0.0.1:\(port)", timeout: 2) {
            Issue.record("127.0.0.1:\(port) answered: the server should be bound to 127.0.0.2 only")
        }
    }

    /// An HTTP server (python3 -m http.server) bound to 127.0.0.2: the HTTP probe there gets 200;
    /// the same port on 127.0.0.1 is refused.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 is not installed"))
    func anHTTPProbeTo127_0_0_2ReachesAServerBoundThere() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-hosts-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let launcher = PosixProcessLauncher(directory: folder)
        let port = try #require(RunVariables.freePorts(1).first)
        _ = try launcher.start("/usr/bin/python3 -m http.server \(port) --bind 127.0.0.2 --directory \(folder.path)", name: "http")
        var ready = false
        for _ in 0..<1000 where !ready {
            if case .success = await TCPConnect.probe("127.0.0.2:\(port)", timeout: 1) { ready = true } else {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        #expect(ready, "python3 http.server did not start on 127.0.0.2:\(port)")
        await HTTPNetworkClient.withClient { network in
            switch await network.request(method: "GET", url: "http://127.0.0.2:\(port)/", timeout: 5) {
            case .success(let response): #expect(response.status == 200)
            case .failure(let error): Issue.record("the HTTP probe did not reach 127.0.0.2: \(error.message)")
            }
            if case .success = await network.request(method: "GET", url: "http://127.0.0.1:\(port)/", timeout: 2) {
                Issue.record("127.0.0.1:\(port) answered: the server is bound to 127.0.0.2 only")
            }
        }
        _ = await launcher.terminateAll()
    }

    /// A listening socket on `address` and a free port the kernel chose.
    static func listen(on address: String) throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = 0
        inet_pton(AF_INET, address, &socketAddress.sin_addr)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 8) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: socketAddress.sin_port))
    }
}
