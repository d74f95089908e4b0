import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP socket listening on a loopback address (`127.0.0.3`) that never accepts: a connection
/// made to it waits in the kernel's backlog, so `sawConnection()` tells afterwards whether anything
/// connected at all (the blast-radius tests' witness that nothing was sent). Closed on `close()`.
public final class SilentListener: @unchecked Sendable {
    public let address: String
    public let port: Int
    private let descriptor: Int32

    public init(address: String) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = 0
        inet_pton(AF_INET, address, &socketAddress.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            _ = Glibc.close(fd)
            throw CocoaError(.fileWriteUnknown)
        }
        self.address = address
        self.descriptor = fd
        self.port = Int(UInt16(bigEndian: socketAddress.sin_port))
    }

    /// True when a connection arrived since the listener opened (it is taken off the backlog).
    public func sawConnection() -> Bool {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        let connection = accept(descriptor, nil, nil)
        guard connection >= 0 else { return false }
        _ = Glibc.close(connection)
        return true
    }

    public func close() { _ = Glibc.close(descriptor) }
}
