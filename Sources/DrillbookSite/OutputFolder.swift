import Foundation

/// The temporary folder a build writes into, next to the output folder, and the swap that
/// replaces the old output with it: rename the old output aside, rename the new one in, delete
/// the old. Until the swap, the previous output is never touched.
struct OutputFolder: Sendable {
    let output: URL
    let temporary: URL

    /// Creates the output's parent when missing and an empty temporary folder beside the output.
    static func prepare(_ output: URL) throws(SiteBuildError) -> OutputFolder {
        let fileManager = FileManager.default
        let output = output.standardizedFileURL
        let parent = output.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: output.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw SiteBuildError(
                step: .prepareOutput, path: output.path,
                message: "the output path is a file, not a folder; pass a folder for the site")
        }
        let temporary = parent.appendingPathComponent("." + output.lastPathComponent + ".building-" + UUID().uuidString)
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try fileManager.createDirectory(at: temporary, withIntermediateDirectories: false)
        } catch {
            throw SiteBuildError(
                step: .prepareOutput, path: temporary.path,
                message: "cannot create the temporary build folder next to the output (\(SiteBuilder.reason(error)))")
        }
        return OutputFolder(output: output, temporary: temporary)
    }

    /// Carries over the old output's top-level dot-files the build did not write, then swaps.
    /// Returns the names carried over.
    func swap() throws(SiteBuildError) -> [String] {
        let fileManager = FileManager.default
        var carried: [String] = []
        let oldExists = fileManager.fileExists(atPath: output.path)
        if oldExists {
            let names = ((try? fileManager.contentsOfDirectory(atPath: output.path)) ?? []).sorted()
            for name in names where name.hasPrefix(".") && name != "." && name != ".." {
                let target = temporary.appendingPathComponent(name)
                guard !fileManager.fileExists(atPath: target.path) else { continue }
                do {
                    try fileManager.copyItem(at: output.appendingPathComponent(name), to: target)
                } catch {
                    throw SiteBuildError(
                        step: .swapOutput, path: output.appendingPathComponent(name).path,
                        message: "cannot carry the file over into the new output (\(SiteBuilder.reason(error)))")
                }
                carried.append(name)
            }
        }
        let aside = output.deletingLastPathComponent()
            .appendingPathComponent("." + output.lastPathComponent + ".old-" + UUID().uuidString)
        if oldExists {
            do {
                try fileManager.moveItem(at: output, to: aside)
            } catch {
                throw SiteBuildError(
                    step: .swapOutput, path: output.path,
                    message: "cannot move the previous output aside (\(SiteBuilder.reason(error)))")
            }
        }
        do {
            try fileManager.moveItem(at: temporary, to: output)
        } catch {
            if oldExists { try? fileManager.moveItem(at: aside, to: output) }
            throw SiteBuildError(
                step: .swapOutput, path: output.path,
                message: "cannot move the new site into place (\(SiteBuilder.reason(error))); the previous output was kept")
        }
        if oldExists { try? fileManager.removeItem(at: aside) }
        return carried
    }

    /// Removes the temporary folder after a failed step.
    func discard() {
        try? FileManager.default.removeItem(at: temporary)
    }
}
