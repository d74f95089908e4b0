import Foundation
import Testing

/// The support programs' `report OUT.json FIELD` command, shared in `support/report_field.py`:
/// each program keeps its own wording (it lands in records as a `not-measured` reason), finds the
/// module from any working directory, also through a `support` folder that is a symbolic link
/// (as the negative controls use), and leaves no `__pycache__` in the drill's folder.
@Suite("The support programs' report command")
struct SupportReportTests {
    static let support = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content/drills/support")

    /// Runs `python3 SCRIPT report ARGS…` in `/`; the output and the exit status.
    static func report(_ script: URL, _ arguments: [String]) throws -> (String, Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "report"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PYTHONDONTWRITEBYTECODE")
        environment.removeValue(forKey: "PYTHONPATH")
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: data, as: UTF8.self), process.terminationStatus)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 is not installed"))
    func eachProgramKeepsItsWordingFromAnyFolder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-support-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let linked = folder.appendingPathComponent("support")
        try FileManager.default.createSymbolicLink(at: linked, withDestinationURL: Self.support)
        let report = folder.appendingPathComponent("report.json")
        try Data(#"{"a": 1.5, "b": null, "reasons": {"b": "no client lost its connection", "all": "the fleet never started"}}"#.utf8).write(to: report)
        let missing = folder.appendingPathComponent("missing.json").path
        let cases: [(String, [String], String, Int32)] = [
            ("websocket.py", [report.path, "a"], "1.5\n", 0),
            ("websocket.py", [report.path, "b"], "not measured: no client lost its connection\n", 1),
            ("websocket.py", [report.path, "z"], "not measured: the fleet never started\n", 1),
            ("websocket.py", [missing, "a"], "the fleet report \(missing) is not written yet\n", 1),
            ("redis-client.py", [report.path, "a"], "1.5\n", 0),
            ("redis-client.py", [report.path, "b"], "not measured: no client lost its connection\n", 1),
            ("redis-client.py", [report.path, "z"], "not measured: z missing from the report\n", 1),
            ("redis-client.py", [missing, "a"], "the client report \(missing) is not written yet\n", 1),
            ("postgres-reads.py", [report.path, "a"], "1.5\n", 0),
            ("postgres-reads.py", [report.path, "b"], "not measured: b is null in \(report.path)\n", 1),
            ("postgres-reads.py", [missing, "a"], "\(missing) is not written yet\n", 1),
        ]
        for (script, arguments, expected, status) in cases {
            for base in [Self.support, linked] {
                let (output, exit) = try Self.report(base.appendingPathComponent(script), arguments)
                #expect(output == expected && exit == status, "\(base.lastPathComponent)/\(script) \(arguments): \(exit) \(output)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: Self.support.appendingPathComponent("__pycache__").path))
        // The one copy: no program defines its own.
        for script in ["websocket.py", "redis-client.py", "postgres-reads.py"] {
            let text = try String(contentsOf: Self.support.appendingPathComponent(script), encoding: .utf8)
            #expect(!text.contains("def report_field"), "\(script)")
        }
    }
}
