/// Containment of canonical (`realpath`) paths, the one test behind two rules: a symbolic link
/// in the content folder may not lead out of it (`ContentWalk`), and a site's output folder may
/// not hold or lie inside a folder a build must never replace (`OutputGuard` in DrillbookSite).
public enum RealPath {
    /// True when the canonical `path` is `folder` or lies under it (`/a/bc` is not under `/a/b`).
    public static func isWithin(_ path: String, _ folder: String) -> Bool {
        if folder == "/" { return true }
        return path == folder
            || (path.hasPrefix(folder) && path.utf8.dropFirst(folder.utf8.count).first == UInt8(ascii: "/"))
    }
}
