public import Foundation

/// One regular file of a folder tree: its path relative to the folder, and its bytes.
public struct ListedFile: Equatable, Sendable {
    /// The path below the listed folder, `/`-separated (`runs/2026/a.html`).
    public var path: String
    /// The file's bytes.
    public var data: Data
}

/// Every regular file under `folder` (symbolic links are not followed), sorted by relative path, with
/// its bytes; empty when the folder does not exist.
public func files(in folder: URL) throws -> [ListedFile] {
    let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
    guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
    else { return [] }
    var found: [ListedFile] = []
    for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
        let full = url.standardizedFileURL.resolvingSymlinksInPath().path
        found.append(ListedFile(path: String(full.dropFirst(base.count + 1)), data: try Data(contentsOf: url)))
    }
    return found.sorted { $0.path < $1.path }
}
