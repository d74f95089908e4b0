import DrillbookModel
import DrillbookText
@testable import DrillbookRunner
import Foundation
import Synchronization
import Testing

@Suite("Progress printer")
struct ProgressPrinterTests {
    static let hostile = "\u{1B}]0;pwned\u{7}\u{1B}[2J\u{9B}\u{202E}\n"
    static let shown = "\\u{1B}]0;pwned\\u{7}\\u{1B}[2J\\u{9B}\\u{202E}\\u{A}"

    static func printed(live: Bool, _ events: [RunProgress]) -> String {
        let text = Mutex("")
        let printer = ProgressPrinter(live: live) { chunk in text.withLock { $0 += chunk } }
        for event in events { printer.observe(event, elapsed: 1.25) }
        printer.finish()
        return text.withLock { $0 }
    }

    static let events: [RunProgress] = [
        .phaseStarted(.fault),
        .stepStarted(phase: .fault, name: "kill" + hostile),
        .stepFinished(phase: .fault, name: "kill" + hostile, succeeded: false, detail: "exit 3: " + hostile),
        .probe(phase: .during, name: "probe" + hostile, holds: false, detail: hostile),
        .metric(Metric(name: "m" + hostile, value: 1, unit: "s")),
        .note(hostile),
        .rollbackStarted("after a failure: " + hostile),
    ]

    @Test func plainLinesShowCommandOutputEscaped() {
        let text = Self.printed(live: false, Self.events)
        #expect(!text.unicodeScalars.contains { TerminalText.isActive($0) && $0 != "\n" })
        #expect(text.components(separatedBy: "\n").count == 8)
        #expect(text.contains("+1.2s fault kill\(Self.shown): FAILED exit 3: \(Self.shown)\n"))
        #expect(text.contains("+1.2s probe during probe\(Self.shown): failed \(Self.shown)\n"))
        #expect(text.contains("+1.2s note \(Self.shown)\n"))
    }

    @Test func aLiveTerminalGetsOnlyThePrintersOwnCodes() {
        let text = Self.printed(live: true, Self.events)
        // The printer's own codes: bold, colours, dim, reset, clear line; nothing from the drill.
        #expect(text.contains("\u{1B}[31m✗\u{1B}[0m kill\(Self.shown) \u{1B}[2mexit 3: \(Self.shown)"))
        #expect(!text.contains("\u{7}") && !text.contains("\u{9B}") && !text.contains("\u{202E}") && !text.contains("\u{1B}]"))
        #expect(!text.contains("\u{1B}[2J"))
    }

    @Test func theSummaryIsInert() {
        let start = Timestamp(secondsSince1970: 0)
        let run = DrillRun(
            id: "r", drillId: "d", environment: "local", startedAt: start, endedAt: start.adding(seconds: 3), outcome: .aborted,
            abortReason: "probe said " + Self.hostile, criteria: [CriterionResult(criterionId: "c", text: "C" + Self.hostile, verdict: .notMeasured)],
            observations: ["Failure: rollback printed " + Self.hostile])
        let text = ProgressPrinter.summary(of: run, recordPath: "/tmp/x\n.json")
        #expect(!text.unicodeScalars.contains { TerminalText.isActive($0) && $0 != "\n" })
        #expect(text == """

            Outcome: ABORTED (probe said \(Self.shown)) in 3s
              ? C\(Self.shown): not measured (target judged by the team)
              ✗ rollback printed \(Self.shown)
            Record: /tmp/x\\u{A}.json

            """)
    }
}
