public import Foundation

/// A fresh, empty folder `drillbook-<purpose>-<UUID>` in the temporary folder, removed by the caller.
public func temporaryFolder(_ purpose: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-\(purpose)-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
