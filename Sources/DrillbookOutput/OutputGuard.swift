public import Foundation
import DrillbookContent

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a build may write. A build replaces its output folder whole, so before anything is read
/// or written the output is checked against the folders it must never replace (the content and
/// theme folders, the current folder and its ancestors, `/`, the home folder) and, when it exists,
/// for the marker every site drillbook builds carries (`.drillbook-site`): a non-empty folder
/// without it holds files drillbook did not write, and is left alone.
///
/// Paths are compared as real paths: symbolic links resolved and `..` removed; for an output that
/// does not exist yet, its nearest existing ancestor is resolved.
public enum OutputGuard {
    /// The file at the top of every site drillbook builds.
    public static let markerName = ".drillbook-site"
    /// Its contents: the same bytes in every build, so pages stay byte-identical.
    public static let markerText = "This folder is a site built by drillbook (drillbook build replaces it whole).\n"
    /// Files a folder may hold and still count as empty (the repository's `output/` holds `.gitkeep`).
    static let placeholders: Set<String> = [".gitkeep"]

    /// Refuses an output folder that equals, contains or lies inside one of `protected` (a role,
    /// like "content folder", and a folder), or that is `/`, the current folder or one of its
    /// ancestors, or the home folder or one of its ancestors.
    ///
    /// The error's message names the output and the folder it collides with (`SiteBuilder` reports it
    /// as a failure of the step "check output").
    public static func checkPlacement(
        of output: URL, protecting protected: [(role: String, folder: URL)],
        workingDirectory: String = FileManager.default.currentDirectoryPath,
        home: String? = ProcessInfo.processInfo.environment["HOME"]
    ) throws(OutputError) {
        // As the user gave it (`.`, `../content`), then resolved.
        let given = output.relativePath
        let real = realPath(given, workingDirectory: output.baseURL?.path ?? workingDirectory)
        let named = given == real ? real : "\"\(given)\" (\(real))"
        func refuse(_ relation: String) -> OutputError {
            OutputError(
                path: output.path,
                message: "the output folder \(named) \(relation); a build replaces its output folder whole, "
                    + "so pass --output a folder of its own (such as output) outside the content and theme folders")
        }
        if real == "/" { throw refuse("is the root folder /") }
        let here = realPath(workingDirectory, workingDirectory: "/")
        var folders = protected.map { (role: $0.role, path: realPath($0.folder.path, workingDirectory: workingDirectory)) }
        folders.append(("current folder", here))
        if let home, !home.isEmpty { folders.append(("home folder", realPath(home, workingDirectory: workingDirectory))) }
        // Sameness first (`--output .` is "the current folder" before it "contains the content folder").
        if let same = folders.first(where: { $0.path == real }) { throw refuse("is the \(same.role) \(same.path)") }
        if let held = folders.first(where: { isInside($0.path, real) }) { throw refuse("contains the \(held.role) \(held.path)") }
        // Inside the content or theme folder; inside the current or home folder is where outputs belong.
        if let around = folders.prefix(protected.count).first(where: { isInside(real, $0.path) }) {
            throw refuse("lies inside the \(around.role) \(around.path)")
        }
    }

    /// Refuses to replace an existing output that is not a folder, or a non-empty folder without
    /// the marker file: drillbook cannot tell it wrote such a folder, so it does not guess (a site
    /// from a drillbook older than the marker is refused once too; the message says to empty it).
    /// A missing or empty folder, or one holding only `.gitkeep`, is fine.
    public static func checkReplaceable(_ output: URL) throws(OutputError) {
        let path = output.path
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw OutputError(
                path: path,
                message: "the output path \(path) is a file, not a folder; pass --output a folder for the site")
        }
        if isDrillbookSite(path) { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw OutputError(
                path: path,
                message: "cannot list the output folder \(path) (\(OutputError.reason(error)))")
        }
        if names.allSatisfy(placeholders.contains) { return }
        throw OutputError(
            path: path,
            message: "the output folder \(path) is not empty and has no \(markerName) file, so drillbook did not "
                + "build it and replacing it would delete its files; empty it or remove it, or pass --output another folder")
    }

    /// Whether the folder at `path` is a site drillbook built: it holds the marker.
    static func isDrillbookSite(_ path: String) -> Bool {
        isRegularFile(path + "/" + markerName)
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// `path` made absolute against `workingDirectory`, with every existing part's symbolic
    /// links resolved and `.`/`..` applied to the resolved path; parts that do not exist are
    /// appended as they are.
    static func realPath(_ path: String, workingDirectory: String) -> String {
        let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        var current = "/"
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                current = (current as NSString).deletingLastPathComponent
                if current.isEmpty { current = "/" }
                continue
            }
            let candidate = current == "/" ? "/" + part : current + "/" + part
            if let resolved = realpath(candidate, nil) {
                current = String(cString: resolved)
                free(resolved)
            } else {
                current = candidate
            }
        }
        return current
    }

    /// Whether `path` lies strictly inside `folder` (both real paths).
    static func isInside(_ path: String, _ folder: String) -> Bool {
        path != folder && RealPath.isWithin(path, folder)
    }
}
