import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// TCP connect probes: a non-blocking BSD socket whose connect is waited for in short slices
/// (`poll`, at most `slice` each) on a thread of its own, so the cooperative pool never blocks and
/// a cancelled probe (an interrupt or the run's budget, `RunContext.stoppable`) stops within one
/// slice instead of at its timeout. (HTTP goes through `HTTPNetworkClient`; a bare connect needs
/// no HTTP client.)
enum TCPConnect {
    /// The longest single wait for the connect to complete before cancellation is looked at again.
    static let slice: Double = 0.01

    /// Set when the probing task is cancelled; the connecting thread looks at it every slice.
    final class Cancellation: Sendable {
        private let flag = Atomic<Bool>(false)
        func cancel() { flag.store(true, ordering: .relaxed) }
        var isCancelled: Bool { flag.load(ordering: .relaxed) }
    }

    /// Seconds until a connection to `host:port` was accepted, or why it was not. The
    /// host is connected to as written (`127.0.0.2` is 127.0.0.2; a name is resolved). Cancelling
    /// the calling task ends the attempt within `slice` (a failure that says it was stopped).
    static func probe(_ hostPort: String, timeout: Double) async -> Result<Double, NetworkError> {
        let cancellation = Cancellation()
        return await withTaskCancellationHandler {
            await onThread {
                switch NetworkTarget.parse(hostPort: hostPort) {
                case .failure(let error): return .failure(error)
                case .success(let target):
                    let start = ContinuousClock.now
                    switch open(target, timeout: timeout, cancellation: cancellation) {
                    case .failure(let error): return .failure(error)
                    case .success(let fd):
                        close(fd)
                        return .success(seconds(ContinuousClock.now - start))
                    }
                }
            }
        } onCancel: {
            cancellation.cancel()
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

    /// Connects to the target's address within `timeout` (or until `cancellation` is set), and sets
    /// send/receive timeouts on the socket, which is returned in blocking mode.
    static func open(_ target: NetworkTarget, timeout: Double, cancellation: Cancellation = Cancellation()) -> Result<Int32, NetworkError> {
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
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
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
        let started = errno
        if result != 0 && started != EINPROGRESS {
            let message = String(cString: strerror(started))
            close(fd)
            return .failure(NetworkError("connect to \(target.addressAndPort) failed: \(message)"))
        }
        if result != 0, let failure = awaitConnect(fd, timeout: timeout, cancellation: cancellation) {
            close(fd)
            return .failure(NetworkError("connect to \(target.addressAndPort) \(failure)"))
        }
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        return .success(fd)
    }

    /// Waits for a non-blocking connect on `fd` to complete, in slices of at most `slice`, until
    /// `timeout` or cancellation; nil when it connected, else why not (`failed: …`, `timed out
    /// after 5 s`, `stopped`). Bounded: at most `timeout / slice` + 2 waits.
    private static func awaitConnect(_ fd: Int32, timeout: Double, cancellation: Cancellation) -> String? {
        let deadline = ContinuousClock.now + .milliseconds(Int((max(0, timeout) * 1000).rounded(.up)))
        for _ in 0..<RunContext.maxPolls(timeout: timeout, interval: slice) {
            if cancellation.isCancelled { return "stopped" }
            let left = deadline - ContinuousClock.now
            if left <= .zero { break }
            let waitMs = Int32(max(1, min(slice * 1000, (seconds(left) * 1000).rounded(.up))))
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&entry, 1, waitMs)
            if ready < 0 {
                if errno == EINTR { continue }
                return "failed: " + String(cString: strerror(errno))
            }
            if ready == 0 { continue }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 { error = errno }
            return error == 0 ? nil : "failed: " + String(cString: strerror(error))
        }
        return "timed out after " + ProbeEvaluator.seconds(timeout)
    }
}

#if canImport(Glibc)
private let systemConnect = Glibc.connect
#else
private let systemConnect = Darwin.connect
#endif
