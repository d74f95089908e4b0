import DrillbookModel
import DrillbookText
@testable import DrillbookRunner
import Foundation
import Synchronization
import Testing

/// `drillbook run` fits the terminal: the dry run's plan, the confirmation screen and the live
/// status line. Each check has its control: the text before wrapping (or a wide terminal) has the
/// long lines, so the wrap is what made them fit.
@Suite("Run output fits the terminal")
struct TerminalWidthTests {
    static let drills = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content/drills")

    /// Every sample drill, and whether it has an `execution:` block.
    static func sampleDrills() throws -> [(name: String, drill: DrillDefinition)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: drills.path).filter { $0.hasSuffix(".yaml") }.sorted()
        return try names.map { ($0, try DrillFileReader.read(drills.appendingPathComponent($0))) }
    }

    static func lines(_ text: String) -> [String] { text.components(separatedBy: "\n") }

    /// The words of wrapped text once its layout marks are undone: a `↵` line end joins the next
    /// line on without its indent, a ` \` line end (a command going on) is dropped.
    static func words(ofWrapped text: String) -> [String] {
        var joined = ""
        var splitWord = false
        for line in lines(text) {
            var line = splitWord ? String(line.drop { $0 == " " }) : line
            if !splitWord && !joined.isEmpty { joined += "\n" }
            splitWord = line.hasSuffix(TerminalWrap.wordSplit)
            if splitWord { line.removeLast() } else if line.hasSuffix(TerminalWrap.commandBreak) { line.removeLast(TerminalWrap.commandBreak.count) }
            joined += line
        }
        return words(of: joined)
    }

    static func words(of text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    @Test func theDryRunOfEverySampleDrillFitsEightyColumnsAndUsesMoreWhenThereIsRoom() throws {
        let runnable = try Self.sampleDrills().filter { $0.drill.execution != nil }
        #expect(runnable.count >= 7)
        for (name, drill) in runnable {
            let raw = DrillPlan.text(for: drill, environment: nil)
            let narrow = DrillPlan.text(for: drill, environment: nil, width: 80)
            let wide = DrillPlan.text(for: drill, environment: nil, width: 160)
            // The control: unwrapped, the plan has lines the terminal would have wrapped.
            #expect(Self.lines(raw).contains { $0.count > 80 }, "\(name): the raw plan fits already")
            let over = Self.lines(narrow).filter { $0.count > 80 }
            #expect(over.isEmpty, "\(name): lines over 80:\n\(over.joined(separator: "\n"))")
            #expect(Self.lines(wide).allSatisfy { $0.count <= 160 }, "\(name)")
            #expect(Self.lines(wide).contains { $0.count > 80 }, "\(name): 160 columns are not used")
            #expect(Self.lines(wide).count < Self.lines(narrow).count, "\(name)")
            // Nothing is lost or reworded: the same words in the same order.
            #expect(Self.words(ofWrapped: narrow) == Self.words(of: raw), "\(name)")
            #expect(Self.words(ofWrapped: wide) == Self.words(of: raw), "\(name)")
        }
    }

    @Test func theConfirmationScreenFitsAndSplitsNoWord() throws {
        var rawOver = 0
        for (name, drill) in try Self.sampleDrills() {
            let raw = DrillPlan.confirmation(for: drill)
            let wrapped = DrillPlan.confirmation(for: drill, width: 80)
            rawOver += Self.lines(raw).filter { $0.count > 80 }.count
            #expect(Self.lines(wrapped).allSatisfy { $0.count <= 80 }, "\(name):\n\(wrapped)")
            // Prose only: every line break falls between words, none inside one.
            #expect(!wrapped.contains(TerminalWrap.wordSplit), "\(name)")
            #expect(Self.words(of: wrapped) == Self.words(of: raw), "\(name)")
        }
        // The control: the sentinel drill's screen, unwrapped, has the 3 long lines it had
        // (the heading, the rollback plan, the expected impact).
        let sentinel = try DrillFileReader.read(Self.drills.appendingPathComponent("redis-sentinel-failover.yaml"))
        #expect(Self.lines(DrillPlan.confirmation(for: sentinel)).filter { $0.count > 80 }.count == 3)
        #expect(rawOver > 3)
        // Continuation lines hang two columns in.
        #expect(DrillPlan.confirmation(for: sentinel, width: 80).hasPrefix(
            "Redis Sentinel Failover (redis-sentinel-failover): Test Redis high availability\n  and failover\n"))
        // A checklist item hangs under its text, past the box.
        var long = sentinel
        long.preparationChecklist = ["Every consumer of the cache has been told the time of the drill and its expected impact"]
        #expect(DrillPlan.confirmation(for: long, width: 80).contains(
            "  [ ] Every consumer of the cache has been told the time of the drill and its\n      expected impact\n"))
    }

    @Test func commandsBreakBetweenShellWordsOnly() {
        let line = "  1. step: run " + TerminalWrap.command("printf 'a b c d e f g h' \"x y z\" && echo done and more words here") + " [timeout 30 s]"
        let wrapped = TerminalWrap.lines(line, width: 40)
        // `printf 'a b c d e f g h'` plus ` \` would take 42 columns; the bracketed aside is kept whole.
        #expect(wrapped == [
            "  1. step: run `printf \\",
            "       'a b c d e f g h' \"x y z\" && \\",
            "       echo done and more words here`",
            "     [timeout 30 s]",
        ])
        #expect(wrapped.allSatisfy { $0.count <= 40 })
        // The control: with room, the line is left as it is (backticks shown).
        #expect(TerminalWrap.lines(line, width: 200) == [TerminalWrap.unwrapped(line)])
        // A quoted word wider than any line is split at its spaces, marked.
        let long = TerminalWrap.lines("x " + TerminalWrap.command("echo '" + String(repeating: "word ", count: 20) + "'"), width: 30)
        #expect(long.allSatisfy { $0.count <= 30 })
        #expect(long.dropLast().allSatisfy { $0.hasSuffix(TerminalWrap.wordSplit) || $0.hasSuffix(TerminalWrap.commandBreak) })
    }

    /// A command written on several lines (`run: |`) keeps its lines, indented as continuations;
    /// other controls in it stay escaped.
    @Test func aMultiLineCommandKeepsItsLines() {
        let item = "  1. s: run " + TerminalWrap.command("echo one\necho\ttwo\r\necho three") + " [timeout 30 s]"
        #expect(DrillPlan.fitted([item], width: 80) == "  1. s: run `echo one\n       echo\\u{9}two\n       echo three` [timeout 30 s]")
        #expect(DrillPlan.fitted([item], width: nil) == "  1. s: run `echo one\necho\\u{9}two\necho three` [timeout 30 s]")
    }

    /// Escaping happens before the width is counted, so an escaped control cannot push a line
    /// over, and the plan stays inert.
    @Test func controlCharactersStayEscapedInWrappedText() {
        var drill = DrillDefinition.sampleForWidth
        drill.objective = "Retitle \u{1B}]0;pwned\u{7} the terminal " + String(repeating: "and say more ", count: 12)
        let text = DrillPlan.confirmation(for: drill, width: 40)
        #expect(!text.unicodeScalars.contains { TerminalText.isActive($0) && $0 != "\n" })
        #expect(text.contains("\\u{1B}]0;pwned\\u{7}"))
        #expect(Self.lines(text).allSatisfy { $0.count <= 40 })
    }

    @Test func theStatusLineIsCutToTheWidth() {
        func status(columns: Int) -> String {
            let shown = Mutex("")
            let printer = ProgressPrinter(live: true, columns: columns) { text in shown.withLock { $0 = text } }
            let name = "a-step-with-a-very-long-name " + String(repeating: "x", count: 100)
            printer.observe(.waiting(phase: .measure, name: name, probe: "a probe with a long name", endsAt: 61, timeout: 60), elapsed: 1)
            // What the terminal shows of the status line: after the last clear, without colour codes.
            let last = shown.withLock { $0 }.components(separatedBy: "\u{1B}[2K").last ?? ""
            return last.replacingOccurrences(of: "\u{1B}[2m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
        }
        let narrow = status(columns: 60)
        #expect(narrow.count == 59 && narrow.hasSuffix("…"), "\(narrow)")
        // The control: a wide terminal shows it whole.
        let wide = status(columns: 400)
        #expect(!wide.contains("…") && wide.count > 150 && wide.contains("+1.0s"))
        #expect(ProgressPrinter.statusParts(head: "⠋ step ", tail: "+1.0s · probe ok", columns: 80) == ("⠋ step ", "+1.0s · probe ok"))
        #expect(ProgressPrinter.statusParts(head: "⠋ step ", tail: "+1.0s · probe ok", columns: 16) == ("⠋ step ", "+1.0s ·…"))
    }
}

extension DrillDefinition {
    static var sampleForWidth: DrillDefinition {
        let url = TerminalWidthTests.drills.appendingPathComponent("redis-sentinel-failover.yaml")
        return (try? DrillFileReader.read(url))!
    }
}
