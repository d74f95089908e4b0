import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `drillbook` executable, run as a child process: for what a test cannot do in
/// process (another current folder, a kill at a random moment).
struct BuiltTool {
    /// What one run printed, as the bytes it wrote, and how it ended.
    struct Outcome: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data

        var standardOutput: String { String(decoding: stdout, as: UTF8.self) }
        var standardError: String { String(decoding: stderr, as: UTF8.self) }
        /// Lines of standard error, without the final empty piece.
        var errorLines: [String] {
            standardError.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
    }

    /// Whether a started run has ended (set by its termination handler).
    final class Ended: @unchecked Sendable {
        private let lock = NSLock()
        private var ended = false
        var value: Bool { lock.withLock { ended } }
        func set() { lock.withLock { ended = true } }
    }

    /// A started run: its process id, and its exit status once it ends.
    struct Running {
        let processIdentifier: Int32
        let exit: AsyncStream<Int32>
        let ended: Ended
        let logs: String

        /// Sends `signal` to the run unless it has ended (its id may belong to another process by then).
        func send(_ signal: Int32) -> Bool {
            !ended.value && kill(processIdentifier, signal) == 0
        }

        /// Waits for the end (the termination handler reports it: no thread waits).
        func status() async -> Int32 {
            for await status in exit { return status }
            return -1
        }

        func outcome() async -> Outcome {
            let status = await status()
            defer {
                try? FileManager.default.removeItem(atPath: logs + ".out")
                try? FileManager.default.removeItem(atPath: logs + ".err")
            }
            return Outcome(
                status: status, stdout: FileManager.default.contents(atPath: logs + ".out") ?? Data(),
                stderr: FileManager.default.contents(atPath: logs + ".err") ?? Data())
        }
    }

    let executable: URL

    /// The `drillbook` beside the test bundle (`.build/debug/`), or in the package's `.build/debug/`.
    static func find() throws -> BuiltTool {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL {
            candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("drillbook"))
        }
        candidates.append(EndToEndTests.root.appendingPathComponent(".build/debug/drillbook"))
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        let executable = try #require(found, "no built drillbook at \(candidates.map(\.path)); run swift build --build-tests")
        return BuiltTool(executable: executable)
    }

    /// Starts `drillbook arguments` in `folder` (with `environment` added to the test's own).
    func start(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> Running {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-log-" + UUID().uuidString).path
        _ = FileManager.default.createFile(atPath: logs + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: logs + ".err", contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        // No progress lines unless a test asks for them (they depend on how long a step takes).
        process.environment = ProcessInfo.processInfo.environment.merging(["DRILLBOOK_PROGRESS": "never"]) { $1 }
            .merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logs + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logs + ".err"))
        let (exit, report) = AsyncStream<Int32>.makeStream()
        let ended = Ended()
        process.terminationHandler = { process in
            ended.set()
            report.yield(process.terminationStatus)
            report.finish()
        }
        try process.run()
        return Running(processIdentifier: process.processIdentifier, exit: exit, ended: ended, logs: logs)
    }

    /// Runs `drillbook arguments` in `folder` to the end.
    func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) async throws -> Outcome {
        try await start(arguments, in: folder, environment: environment).outcome()
    }
}
