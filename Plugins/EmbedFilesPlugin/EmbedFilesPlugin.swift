import Foundation
import PackagePlugin

/// Turns the folders the binary carries (the default theme, the playbook's drills and schedule, the
/// records-repository starter) into one generated Swift file at build time, so `drillbook build` and
/// `drillbook init` work from any folder. The generated file lives in the plugin's work folder under
/// `.build` and is never committed.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    /// Name in the generated code → folder or file of the package.
    static let sets: [(name: String, path: String)] = [
        ("defaultTheme", "themes/default"),
        ("playbookDrills", "content/drills"),
        ("playbookSchedule", "content/schedule.yaml"),
        ("recordsStarter", "starter"),
    ]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        var inputs: [URL] = []
        var arguments: [String] = []
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedFiles.swift")
        arguments.append(output.path)
        for set in Self.sets {
            let url = root.appendingPathComponent(set.path)
            arguments.append(set.name + "=" + url.path)
            inputs += Self.files(under: url)
        }
        // A shell script (POSIX sh, coreutils' base64), not a Swift tool target: nothing more to
        // build for the host, and `swift build --product drillbook` plans it like any command.
        let script = root.appendingPathComponent("Plugins/EmbedFilesPlugin/embed-files.sh")
        return [
            .buildCommand(
                displayName: "Embedding the default theme, the playbook's drills and the records starter",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path] + arguments, inputFiles: inputs + [script], outputFiles: [output])
        ]
    }

    /// Every regular file at or under `url` (hidden ones too: the starter's `.github`).
    static func files(under url: URL) -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [url] }
        guard let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var found: [URL] = []
        for case let file as URL in enumerator
        where (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            found.append(file)
        }
        return found
    }
}
