public import Foundation

/// A file the binary carries, embedded at build time by the EmbedFilesPlugin (embed-files.sh) (the generated
/// `EmbeddedFiles` members: `defaultTheme`, `playbookDrills`, `playbookSchedule`, `recordsStarter`).
public struct EmbeddedFile: Sendable {
    /// The path relative to the embedded folder, with `/` separators (`templates/home.mustache`).
    public let path: String
    /// True when the file was executable in the package (the drills' support scripts).
    public let executable: Bool
    let base64: String

    init(path: String, executable: Bool, base64: String) {
        self.path = path
        self.executable = executable
        self.base64 = base64
    }

    /// The file's bytes.
    public var data: Data { Data(base64Encoded: base64) ?? Data() }
}

/// The folders the binary carries; its members are generated at build time from the package's
/// `themes/default`, `content/drills`, `content/schedule.yaml` and `starter/`.
public enum EmbeddedFiles {}
