import DrillbookTestSupport
import Foundation
import Testing

/// Content that carries terminal controls (a title-setting OSC, clear screen, BEL, backspace, DEL,
/// a C1 CSI, a bidi override) printed by the real binary: the bytes it writes must be inert, with
/// each control shown as `\u{1B}` and so on, and a file name must not be able to forge a line.
@Suite("Terminal output is inert")
struct TerminalOutputTests {
    /// An OSC that sets the terminal title, a clear screen, a C1 CSI, a right-to-left override,
    /// backspace and DEL: what a hostile record carries.
    static let hostile = "\u{1B}]0;pwned\u{7}\u{1B}[2J\u{9B}1;1H\u{202E}\u{8}\u{7F}"
    /// How the terminal shows it.
    static let hostileShown = "\\u{1B}]0;pwned\\u{7}\\u{1B}[2J\\u{9B}1;1H\\u{202E}\\u{8}\\u{7F}"
    /// How the terminal shows it in CSV, whose writer has already made the characters XML forbids
    /// U+FFFD (ESC, BEL, backspace); what is left of the controls is escaped for the terminal.
    static let hostileShownInCSV = "\u{FFFD}]0;pwned\u{FFFD}\u{FFFD}[2J\\u{9B}1;1H\\u{202E}\u{FFFD}\\u{7F}"

    /// A run record (JSON, so any character can be written as an escape) of the tiny drill.
    static func runJSON(day: String, verdict: String = "met") throws -> Data {
        let record: [String: Any] = [
            "schemaVersion": 1, "id": day + "-tiny-drill", "drillId": "tiny-drill", "environment": "local" + hostile,
            "startedAt": day + "T10:15:00+05:30", "endedAt": day + "T10:16:00+05:30", "outcome": "passed",
            "criteria": [["criterionId": "ok", "text": "The probe holds" + hostile, "verdict": verdict]],
            "actionItems": [
                ["id": "AI-2026-900", "title": "Fix it" + hostile, "owner": "Eve" + hostile, "status": "open", "priority": "immediate"]
            ],
        ]
        return try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
    }

    /// A valid content folder whose records carry `hostile`.
    static func hostileContent(in folder: URL) throws -> URL {
        let content = folder.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("drills"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: content.appendingPathComponent("runs/2026"), withIntermediateDirectories: true)
        try Data(DrillbookBinary.tinyDrill().utf8).write(to: content.appendingPathComponent("drills/tiny-drill.yaml"))
        try runJSON(day: "2026-03-02").write(to: content.appendingPathComponent("runs/2026/2026-03-02-tiny-drill.json"))
        return content
    }

    @Test func checkPrintsOneInertLinePerIssueAndFileNamesCannotForgeLines() async throws {
        let folder = try temporaryFolder("binary")
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = try Self.hostileContent(in: folder)
        // 1. A value quoted in an error (an unknown verdict).
        try Self.runJSON(day: "2026-03-03", verdict: Self.hostile).write(to: content.appendingPathComponent("runs/2026/2026-03-03-tiny-drill.json"))
        // 2. YAML escapes in a drill (`\e` is ESC, `\a` BEL).
        let drill = DrillbookBinary.tinyDrill().replacingOccurrences(of: "id: tiny-drill", with: "id: evil-drill")
            .replacingOccurrences(of: "category: infrastructure-resilience", with: "category: \"\\e]0;pwned\\a\\e[2J\"")
        try Data(drill.utf8).write(to: content.appendingPathComponent("drills/evil-drill.yaml"))
        // 3. A folder and file name that would print a second, forged `FILE:LINE: message` line.
        let forgedFolder = content.appendingPathComponent("runs/x\n" + "content/runs", isDirectory: true)
        try FileManager.default.createDirectory(at: forgedFolder, withIntermediateDirectories: true)
        try Data("{ not json".utf8).write(to: forgedFolder.appendingPathComponent("forged.json:1: $.id: this line is forged\rx.json"))

        let output = try await DrillbookBinary.run(["check", "--content", "content"], in: folder)
        #expect(output.status == 1)
        #expect(DrillbookBinary.activeCharacters(in: output.stdout + output.stderr) == [])
        let lines = output.errorLines
        // Three issues, three lines, then the count.
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.last == "content: 3 errors, 0 warnings (1 drills, 1 runs, 0 incidents, 0 action histories)")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("content/") })
        #expect(lines.contains { $0.hasPrefix("content/drills/evil-drill.yaml:4: $.category: ") && $0.hasSuffix("got \"\\u{1B}]0;pwned\\u{7}\\u{1B}[2J\"") })
        #expect(lines.contains {
            $0.hasPrefix("content/runs/2026/2026-03-03-tiny-drill.json:1: $.criteria[0].verdict: ") && $0.hasSuffix("got \"" + Self.hostileShown + "\"")
        })
        #expect(lines.contains { $0.hasPrefix("content/runs/x\\u{A}content/runs/forged.json:1: $.id: this line is forged\\u{D}x.json:") })
    }

    @Test func inspectTextAndJSONAreInertAndJSONKeepsTheValue() async throws {
        let folder = try temporaryFolder("binary")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.hostileContent(in: folder)
        let file = "content/runs/2026/2026-03-02-tiny-drill.json"

        let text = try await DrillbookBinary.run(["inspect", file], in: folder)
        #expect(text.status == 0)
        #expect(DrillbookBinary.activeCharacters(in: text.stdout + text.stderr) == [])
        #expect(text.standardOutput.hasPrefix("run 2026-03-02-tiny-drill: drill tiny-drill, passed, local" + Self.hostileShown + "\n"))
        #expect(text.standardOutput.contains("[met] The probe holds" + Self.hostileShown + ": "))

        let json = try await DrillbookBinary.run(["inspect", file, "--json"], in: folder)
        #expect(json.status == 0)
        #expect(DrillbookBinary.activeCharacters(in: json.stdout + json.stderr) == [])
        #expect(json.standardOutput.contains("\"environment\" : \"local\\u001b]0;pwned\\u0007\\u001b[2J\\u009b1;1H\\u202e\\b\\u007f\""))
        let decoded = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(decoded["environment"] as? String == "local" + Self.hostile)
    }

    @Test func actionsInEveryFormatAreInert() async throws {
        let folder = try temporaryFolder("binary")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.hostileContent(in: folder)
        for format in ["table", "csv", "json", "ics"] {
            let output = try await DrillbookBinary.run(["actions", "--as-of", "2026-03-05", "--format", format], in: folder)
            #expect(output.status == 0, "\(format): \(output.standardError)")
            #expect(DrillbookBinary.activeCharacters(in: output.stdout + output.stderr) == [], "\(format)")
            #expect(output.standardOutput.contains("AI-2026-900"), "\(format)")
        }
        let csv = try await DrillbookBinary.run(["actions", "--as-of", "2026-03-05", "--format", "csv"], in: folder)
        #expect(csv.standardOutput.contains("\"Fix it" + Self.hostileShownInCSV + "\",\"Eve" + Self.hostileShownInCSV + "\""))
    }

    @Test func announceAndNewAreInert() async throws {
        let folder = try temporaryFolder("binary")
        defer { try? FileManager.default.removeItem(at: folder) }
        let drill = DrillbookBinary.tinyDrill()
            .replacingOccurrences(of: "title: Tiny drill", with: "title: \"Tiny \\e]0;pwned\\a drill\"")
            .replacingOccurrences(of: "objective: Show that concurrent runs keep their records", with: "objective: \"Clear \\e[2J the screen \\x9b and \\u202e flip\"")
        try Data(drill.utf8).write(to: folder.appendingPathComponent("evil.yaml"))

        let mail = try await DrillbookBinary.run(["announce", "./evil.yaml", "--at", "2026-12-07 10:00 UTC"], in: folder)
        #expect(mail.status == 0, "\(mail.standardError)")
        #expect(DrillbookBinary.activeCharacters(in: mail.stdout + mail.stderr) == [])
        #expect(mail.standardOutput.hasPrefix("Subject: Chaos Engineering Drill - Tiny \\u{1B}]0;pwned\\u{7} drill - 2026-12-07 10:00 UTC\n"))
        // The e-mail keeps its lines.
        #expect(mail.standardOutput.components(separatedBy: "\n").count > 10)

        let created = try await DrillbookBinary.run(["new", "run", "--drill", "x\u{1B}]0;pwned\u{7}", "--output", "runs"], in: folder)
        #expect(created.status == 0, "\(created.standardError)")
        #expect(DrillbookBinary.activeCharacters(in: created.stdout + created.stderr) == [])
        #expect(created.standardOutput.contains("x\\u{1B}]0;pwned\\u{7}"))
        #expect(created.standardOutput.components(separatedBy: "\n").count == 2)
    }

    @Test func runProgressPlanAndSummaryAreInert() async throws {
        let folder = try temporaryFolder("binary")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Names from the drill, and a fault command whose output (quoted in the failure) is hostile.
        let drill = DrillbookBinary.tinyDrill()
            .replacingOccurrences(of: "title: Tiny drill", with: "title: \"Evil \\e]0;pwned\\a run\"")
            .replacingOccurrences(of: "text: The probe holds", with: "text: \"The probe \\e[31m holds\"")
            .replacingOccurrences(of: "- name: always", with: "- name: \"always \\e]0;step\\a\"")
            .replacingOccurrences(
                of: "- name: nothing\n      run: \"true\"",
                with: "- name: \"noisy \\x9b2J\"\n      run: \"printf '\\\\033]0;pwned\\\\007\\\\033[2J\\\\302\\\\233\\\\342\\\\200\\\\256\\\\n'; exit 3\"")
        #expect(drill.contains("noisy"))
        try Data(drill.utf8).write(to: folder.appendingPathComponent("evil.yaml"))

        let plan = try await DrillbookBinary.run(["run", "./evil.yaml", "--dry-run"], in: folder)
        #expect(plan.status == 0, "\(plan.standardError)")
        #expect(DrillbookBinary.activeCharacters(in: plan.stdout + plan.stderr) == [])
        #expect(plan.standardOutput.contains("Evil \\u{1B}]0;pwned\\u{7} run"))

        let run = try await DrillbookBinary.run(["run", "./evil.yaml", "--yes", "--records", "runs"], in: folder)
        #expect(run.status == 1, "\(run.standardError)")
        #expect(DrillbookBinary.activeCharacters(in: run.stdout + run.stderr) == [])
        let out = run.standardOutput
        #expect(out.contains("steadyState.before always \\u{1B}]0;step\\u{7}: ok exit 0"))
        #expect(out.contains("fault noisy \\u{9B}2J: FAILED fault action noisy \\u{9B}2J failed (exit 3: \\u{1B}]0;pwned\\u{7}\\u{1B}[2J\\u{9B}\\u{202E})"))
        #expect(out.contains("Outcome: FAILED"))
        #expect(out.contains("? The probe \\u{1B}[31m holds: not measured"))
    }
}
