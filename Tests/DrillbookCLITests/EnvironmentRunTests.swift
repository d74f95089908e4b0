import DrillbookTestSupport
import Foundation
import Testing

/// `drillbook run` against named environments, as a user runs it: a target outside the
/// environment's hosts is refused before setup and nothing reaches it; a missing environment file
/// or an unset secret is refused; a whole run against "remote" hosts on 127.0.0.2 and 127.0.0.3
/// records the environment, and its secret appears in no output at all.
@Suite("drillbook run against an environment", .serialized)
struct EnvironmentRunTests {
    static func drill(id: String, execution: String) -> String {
        """
        id: \(id)
        title: Environment drill
        category: infrastructure-resilience
        objective: Show environments at work
        environment: staging
        allocatedDuration: 2m
        successCriteria:
          - id: ok
            text: The probe holds
            metric: ok
            comparison: "=="
            target: 1
            unit: bool
        execution:
        \(execution)
        """
    }

    @Test func aProbeAimedOutsideTheEnvironmentIsRefusedBeforeSetup() async throws {
        let folder = try temporaryFolder("blast-radius")
        defer { try? FileManager.default.removeItem(at: folder) }
        let listener = try SilentListener(address: "127.0.0.3")
        defer { listener.close() }
        let drill = Self.drill(id: "aimed-elsewhere", execution: """
              setup:
                - name: mark
                  run: touch ${DRILL_DIR}/setup-ran
              steadyState:
                - name: remote answers
                  http: http://127.0.0.3:\(listener.port)/health
              measure:
                - metric: ok
                  kind: holds
                  timeout: 5
                  probe: { name: remote, tcp: "127.0.0.3:\(listener.port)" }
            """)
        try Data(drill.utf8).write(to: folder.appendingPathComponent("drill.yaml"))
        try Data("name: lab\nhosts: [127.0.0.2]\n".utf8).write(to: folder.appendingPathComponent("lab.yaml"))
        let result = try await DrillbookBinary.run(["run", "drill.yaml", "--environment-file", "lab.yaml", "--yes"], in: folder)
        #expect(result.status == 2)
        #expect(result.standardError == """
            drillbook: error: refused: drill.yaml:20: $.execution.steadyState[0].http: aimed outside the blast radius, so nothing was sent: 127.0.0.3 is not among the hosts environment lab allows (127.0.0.2)
            drillbook: error: refused: drill.yaml:25: $.execution.measure[0].probe.tcp: aimed outside the blast radius, so nothing was sent: 127.0.0.3 is not among the hosts environment lab allows (127.0.0.2)

            """, "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("setup-ran").path), "setup ran")
        #expect(!listener.sawConnection(), "127.0.0.3 was connected to")
        // The same drill without an environment file is a local realisation: loopback is allowed.
        let local = try await DrillbookBinary.run(["run", "drill.yaml", "--dry-run"], in: folder)
        #expect(local.status == 0, "\(local.standardError)")
    }

    @Test func aNamedEnvironmentNeedsItsFile() async throws {
        let folder = try temporaryFolder("no-environment")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(DrillbookBinary.tinyDrill().utf8).write(to: folder.appendingPathComponent("drill.yaml"))
        let missing = try await DrillbookBinary.run(["run", "drill.yaml", "--environment", "staging", "--dry-run"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.standardError == "drillbook: error: refused: no environment file for staging: looked for content/environments/staging.yaml; write one (docs/executor.md, Environments), pass --environment-file FILE, or run the local realisation (--environment local)\n")
        let local = try await DrillbookBinary.run(["run", "drill.yaml", "--environment", "local", "--dry-run"], in: folder)
        #expect(local.status == 0, "\(local.standardError)")
        // A file that is not a valid environment exits 3 with its located problems.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("content/environments"), withIntermediateDirectories: true)
        try Data("name: staging\nhosts: [10.0.0.0/40]\n".utf8).write(to: folder.appendingPathComponent("content/environments/staging.yaml"))
        let invalid = try await DrillbookBinary.run(["run", "drill.yaml", "--environment", "staging", "--dry-run"], in: folder)
        #expect(invalid.status == 3)
        #expect(invalid.standardError == "drillbook: error: content/environments/staging.yaml:2: $.hosts[0]: expected a host name, an IP address or a CIDR range like 10.20.0.0/16, got \"10.0.0.0/40\"\n")
    }

    /// A "remote" server: answers `ok` when it got the expected token (query `token=` on /check,
    /// `Authorization: Bearer` elsewhere) and echoes it back, logging what it got.
    static let server = #"""
        import http.server, os, sys, urllib.parse
        address, port_file, log_file = sys.argv[1], sys.argv[2], sys.argv[3]
        expected = os.environ["EXPECTED"]
        class Handler(http.server.BaseHTTPRequestHandler):
            def answer(self):
                url = urllib.parse.urlparse(self.path)
                if url.path == "/check":
                    got = urllib.parse.parse_qs(url.query).get("token", [""])[0]
                else:
                    got = self.headers.get("Authorization", "").removeprefix("Bearer ")
                good = got == expected
                with open(log_file, "a") as log:
                    log.write(f"{url.path} {'ok' if good else 'BAD'} {got}\n")
                body = (f"ok token={got}" if good else "wrong token").encode()
                self.send_response(200 if good else 403)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            do_GET = answer
            do_POST = answer
            def log_message(self, *args): pass
        server = http.server.HTTPServer((address, 0), Handler)
        with open(port_file + ".tmp", "w") as f: f.write(str(server.server_address[1]))
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """#

    static func startServer(_ address: String, in folder: URL, expected: String) throws -> (process: Process, port: Int, log: URL) {
        let script = folder.appendingPathComponent("server.py")
        try Data(server.utf8).write(to: script)
        let portFile = folder.appendingPathComponent("port-\(address)")
        let log = folder.appendingPathComponent("log-\(address)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path, address, portFile.path, log.path]
        process.environment = ["EXPECTED": expected, "PATH": "/usr/bin:/bin"]
        try process.run()
        // Bounded: at most 10 s for the server to listen.
        for _ in 0..<200 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) { return (process, port, log) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop(process)
        throw CocoaError(.fileReadNoSuchFile)
    }

    /// SIGKILL: a child of the test runner may inherit a signal mask that blocks SIGTERM.
    static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    @Test func aRunAgainstANamedEnvironmentKeepsItsSecret() async throws {
        let folder = try temporaryFolder("secrets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let marker = "drillbook-marker-" + UUID().uuidString
        let remote = try Self.startServer("127.0.0.2", in: folder, expected: marker)
        defer { Self.stop(remote.process) }
        let backup = try Self.startServer("127.0.0.3", in: folder, expected: marker)
        defer { Self.stop(backup.process) }
        let content = folder.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("drills"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: content.appendingPathComponent("environments"), withIntermediateDirectories: true)
        // Written for both: locally ${API} is a server the drill starts; in lab it is 127.0.0.2.
        let drill = Self.drill(id: "secret-drill", execution: #"""
              variables:
                API: http://127.0.0.1:${PORT_1}
                BACKUP: 127.0.0.1:${PORT_1}
              setup:
                - name: local-api
                  run: python3 -m http.server ${PORT_1} --bind 127.0.0.1
                  background: true
                  ready: { name: local api up, tcp: "127.0.0.1:${PORT_1}" }
              steadyState:
                - name: api takes the token in the query
                  http: "${API}/check?token=${secret:DRILLBOOK_MARKER}"
                  contains: ok
                - name: api takes the token in a header
                  command: |-
                    printf 'Authorization: Bearer %s\n' "${secret:DRILLBOOK_MARKER}" | curl -fsS -H @- "${API}/header"
                  contains: ok
                - name: backup reachable
                  tcp: "${BACKUP}"
                - name: the token is on no command line
                  command: |-
                    cmd=$(tr '\0' ' ' < /proc/$$/cmdline); case "$cmd" in *"${secret:DRILLBOOK_MARKER}"*) echo leaked; exit 1;; esac; echo clean
              fault:
                - name: break-api
                  kill: local-api
                  signal: SIGSTOP
              measure:
                - metric: ok
                  kind: holds
                  timeout: 10
                  probe:
                    name: a command saw the token
                    command: echo "token is ${secret:DRILLBOOK_MARKER}"
                    contains: "token is ${secret:DRILLBOOK_MARKER}"
              rollback:
                - name: restore-api
                  kill: local-api
                  signal: SIGCONT
            """#)
        try Data(drill.utf8).write(to: content.appendingPathComponent("drills/secret-drill.yaml"))
        let lab = """
            name: lab
            hosts: [127.0.0.2, 127.0.0.3]
            variables:
              API: http://127.0.0.2:\(remote.port)
              BACKUP: 127.0.0.3:\(backup.port)
            drills:
              - id: secret-drill
                skip: [local-api]
                replace:
                  - name: break-api
                    run: >-
                      printf 'Authorization: Bearer %s\\n' "${secret:DRILLBOOK_MARKER}" | curl -fsS -H @- -X POST "${API}/fault"
                    target: 127.0.0.2
                  - name: restore-api
                    run: >-
                      printf 'Authorization: Bearer %s\\n' "${secret:DRILLBOOK_MARKER}" | curl -fsS -H @- -X POST "${API}/resume"
                    target: 127.0.0.2

            """
        try Data(lab.utf8).write(to: content.appendingPathComponent("environments/lab.yaml"))
        let arguments = ["run", "content/drills/secret-drill.yaml", "--environment", "lab", "--yes", "--junit", "report.xml", "--records", "content/runs"]

        // Unset: refused before anything starts; the servers saw nothing.
        let unset = try await DrillbookBinary.run(arguments, in: folder)
        #expect(unset.status == 2)
        #expect(unset.standardError == "drillbook: error: refused: secret-drill uses ${secret:DRILLBOOK_MARKER}, but the environment variable DRILLBOOK_MARKER is not set; set it in the shell that runs drillbook (nothing was started)\n")
        #expect(!FileManager.default.fileExists(atPath: remote.log.path))

        let tool = try BuiltTool.find()
        let run = try await tool.run(arguments, in: folder, environment: ["DRILLBOOK_MARKER": marker])
        #expect(run.status == 0, "\(run.standardOutput)\n\(run.standardError)")
        let dry = try await tool.run(["run", "content/drills/secret-drill.yaml", "--environment", "lab", "--dry-run"], in: folder, environment: ["DRILLBOOK_MARKER": marker])
        #expect(dry.standardOutput.contains("${secret:DRILLBOOK_MARKER} set"), "\(dry.standardOutput)")
        let site = try await tool.run(["build", "--content", "content", "--output", "site"], in: folder, environment: ["DRILLBOOK_MARKER": marker])
        #expect(site.status == 0, "\(site.standardError)")

        // The servers got the real value (the control: the marker is there to be found).
        let served = try String(contentsOf: remote.log, encoding: .utf8)
        for path in ["/check", "/header", "/fault", "/resume"] {
            #expect(served.contains("\(path) ok \(marker)\n"), "\(path) did not get the token: \(served)")
        }
        #expect(!served.contains("BAD"))
        // The record names the environment and how it was realised.
        let runs = try FileManager.default.subpathsOfDirectory(atPath: content.appendingPathComponent("runs").path).filter { $0.hasSuffix(".json") }
        #expect(runs.count == 1)
        let recordData = try Data(contentsOf: content.appendingPathComponent("runs").appendingPathComponent(try #require(runs.first)))
        let record = try #require(try JSONSerialization.jsonObject(with: recordData) as? [String: Any])
        #expect(record["environment"] as? String == "lab")
        #expect(record["realisation"] as? String == "environment")
        #expect(String(decoding: recordData, as: UTF8.self).contains("${secret:DRILLBOOK_MARKER}"), "the record should show the reference")
        // Not one output holds the value.
        var outputs: [(String, Data)] = [("stdout", run.stdout), ("stderr", run.stderr), ("dry run", dry.stdout), ("site stdout", site.stdout)]
        for root in ["content/runs", "report.xml", "site"] {
            let url = folder.appendingPathComponent(root)
            let files = (try? FileManager.default.subpathsOfDirectory(atPath: url.path))?.map { url.appendingPathComponent($0) } ?? [url]
            for file in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                outputs.append((file.path, try Data(contentsOf: file)))
            }
        }
        #expect(outputs.count > 10)
        let hits = outputs.filter { String(decoding: $0.1, as: UTF8.self).contains(marker) }.map(\.0)
        #expect(hits.isEmpty, "the secret appears in \(hits)")
    }
}
