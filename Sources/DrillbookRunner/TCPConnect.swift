import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// TCP connect probes: a blocking BSD socket with a deadline, on its own thread so the cooperative
/// pool never blocks. (HTTP goes through `HTTPNetworkClient`; a bare connect needs no HTTP client.)
enum TCPConnect {
    /// Seconds until a connection to `host:port` was accepted, or why it was not. The host is
    /// connected to as written (`127.0.0.2` is 127.0.0.2; a name is resolved). Which hosts may be
    /// reached is the caller's check (`HostAllowlist`).
    static func probe(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> {
        await onThread {
            switch NetworkTarget.parse(hostPort: hostPort) {
            case .failure(let error): return .failure(error)
            case .success(let target):
                let start = ContinuousClock.now
                switch open(target, timeout: timeout) {
                case .failure(let error): return .failure(error)
                case .success(let fd):
                    close(fd)
                    return .success(seconds(ContinuousClock.now - start))
                }
            }
        }
    }

    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.start()
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Connects to the target's address within `timeout`, and sets send/receive timeouts on the socket.
    static func open(_ target: NetworkTarget, timeout: Double) -> Result<Int32, NetworkError> {
        guard let address = NetworkTarget.addresses(of: target.address, numericOnly: true)?.first else {
            return .failure(NetworkError("not an address: \(target.address)"))
        }
        #if canImport(Glibc)
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(address.family, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return .failure(NetworkError("socket failed: \(String(cString: strerror(errno)))")) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: .init((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let result: Int32
        if address.family == AF_INET6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = target.port.bigEndian
            withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { $0.copyBytes(from: address.bytes) }
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = target.port.bigEndian
            withUnsafeMutableBytes(of: &socketAddress.sin_addr) { $0.copyBytes(from: address.bytes) }
            result = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        if result != 0 {
            let message = String(cString: strerror(errno))
            close(fd)
            return .failure(NetworkError("connect to \(target.addressAndPort) failed: \(message)"))
        }
        return .success(fd)
    }
}

#if canImport(Glibc)
private let systemConnect = Glibc.connect
#else
private let systemConnect = Darwin.connect
#endif
