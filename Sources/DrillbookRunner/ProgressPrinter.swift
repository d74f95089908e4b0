public import DrillbookModel
import DrillbookText
import Foundation
import Synchronization

/// Prints live progress. On a terminal: finished steps as lines with ✓/✗, and one status line
/// redrawn in place with a spinner, the running step, elapsed time and the latest probe result.
/// Otherwise (or with `NO_COLOR`): plain lines stamped with the elapsed time.
///
/// Everything that comes from the drill or its commands (step and probe names, details quoting a
/// command's output, notes, metric names, criteria texts) passes through `TerminalText.line`, so a
/// command that prints an escape sequence or a line break cannot retitle, clear or forge lines on
/// the operator's terminal; only the printer's own colour codes reach it.
public final class ProgressPrinter: RunObserver, Sendable {
    private struct State {
        var phase = ""
        var step = ""
        var lastProbe = ""
        /// What the running step waits for, until when (elapsed seconds) and for how long in all.
        var waiting: (probe: String, endsAt: Double, timeout: Double)?
        var frame = 0
        var statusShown = false
        var finished = false
    }

    private let live: Bool
    /// Width of the terminal, so the status line never wraps.
    let columns: Int
    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - live: redraw a status line (a terminal without `NO_COLOR`).
    ///   - columns: the terminal's width, which the status line never exceeds (the CLI's
    ///     `TerminalWidth`, the one source of it; 80 when not given).
    ///   - write: where text goes (standard output by default).
    public init(live: Bool, columns: Int = 80, write: @escaping @Sendable (String) -> Void = ProgressPrinter.standardOutput) {
        self.live = live
        self.write = write
        self.columns = max(10, columns)
    }

    /// Writes to standard output, unbuffered.
    public static let standardOutput: @Sendable (String) -> Void = { text in TerminalStreams.writeOutput(text) }

    /// True when standard output is a terminal and `NO_COLOR` is not set.
    public static var standardOutputIsLive: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }

    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    public func observe(_ progress: RunProgress, elapsed: Double) {
        let stamp = Self.stamp(elapsed)
        let progress = Self.inert(progress)
        var line: String?
        state.withLock { state in
            if state.finished, case .tick = progress { return }
            switch progress {
            case .phaseStarted(let phase):
                state.phase = phase.name
                line = live ? "\u{1B}[1m\(phase)\u{1B}[0m" : "\(stamp) phase \(phase)"
            case .stepStarted(let phase, let name):
                state.step = phase.name + " › " + name
                state.lastProbe = ""
                state.waiting = nil
                if !live { line = "\(stamp) \(phase) \(name): started" }
            case .waiting(let phase, let name, let probe, let endsAt, let timeout):
                state.step = phase.name + " › " + name
                state.waiting = (probe, endsAt, timeout)
                if !live { line = "\(stamp) \(phase) \(name): waiting for \"\(probe)\" (up to \(MetricFormat.value(timeout, unit: "s")))" }
            case .stepFinished(let phase, let name, let succeeded, let detail):
                state.step = ""
                state.waiting = nil
                line = live
                    ? "  \(succeeded ? "\u{1B}[32m✓\u{1B}[0m" : "\u{1B}[31m✗\u{1B}[0m") \(name) \u{1B}[2m\(detail) (\(stamp))\u{1B}[0m"
                    : "\(stamp) \(phase) \(name): \(succeeded ? "ok" : "FAILED") \(detail)"
            case .probe(let phase, let name, let holds, let detail):
                state.lastProbe = "\(name): \(holds ? "ok" : "no") \(detail)"
                if !live && (phase == .during || phase == .abortIf) {
                    line = "\(stamp) probe \(phase) \(name): \(holds ? "ok" : "failed") \(detail)"
                }
            case .metric(let metric):
                line = live ? "  \u{1B}[36m●\u{1B}[0m \(metric.name) = \(metric.formatted)" : "\(stamp) metric \(metric.name) = \(metric.formatted)"
            case .note(let text):
                line = live ? "  \u{1B}[33m!\u{1B}[0m \(text)" : "\(stamp) note \(text)"
            case .rollbackStarted(let why):
                line = live ? "\u{1B}[1;33mRollback is running\u{1B}[0m \(why)" : "\(stamp) rollback running \(why)"
            case .tick:
                break
            }
            state.frame += 1
            var text = ""
            if live && state.statusShown { text += "\r\u{1B}[2K" }
            if let line { text += line + "\n" }
            if live && !state.finished {
                let spinner = Self.frames[state.frame % Self.frames.count]
                var running = state.step.isEmpty ? state.phase : state.step
                if let waiting = state.waiting {
                    running += ": " + Self.waitingText(probe: waiting.probe, left: waiting.endsAt - elapsed, timeout: waiting.timeout)
                }
                let probe = state.lastProbe.isEmpty ? "" : " · " + state.lastProbe
                // One screen row at most: a wrapped status line could not be redrawn in place.
                let (head, tail) = Self.statusParts(head: "\(spinner) \(running) ", tail: stamp + probe, columns: columns)
                text += "\u{1B}[2K\(head)\u{1B}[2m\(tail)\u{1B}[0m"
                state.statusShown = true
            }
            if !text.isEmpty { write(text) }
        }
    }

    /// Keeps the spinner turning while a long step (a load step, a slow command) runs: redraws the
    /// status line every 100 ms until the returned task is cancelled. Does nothing when not live.
    public func startTicking() -> Task<Void, Never> {
        let origin = ContinuousClock.now
        let live = self.live
        return Task { [weak self] in
            guard live else { return }
            for _ in 0..<100_000 {
                if Task.isCancelled { return }
                try? await Task.sleep(for: .milliseconds(100))
                let elapsed = ContinuousClock.now - origin
                self?.observe(.tick, elapsed: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
        }
    }

    /// The status line's two parts (the running step, then dimmed the time and the latest probe)
    /// cut so that together they take fewer than `columns` columns (the last column is left free:
    /// some terminals wrap on writing it), the cut marked with `…`.
    static func statusParts(head: String, tail: String, columns: Int) -> (head: String, tail: String) {
        let room = max(2, columns - 1)
        if head.count + tail.count <= room { return (head, tail) }
        if head.count >= room - 1 { return (String(head.prefix(room - 1)) + "…", "") }
        return (head, String(tail.prefix(room - head.count - 1)) + "…")
    }

    /// Clears the status line before the end summary.
    public func finish() {
        guard live else { return }
        state.withLock { state in
            if state.statusShown { write("\r\u{1B}[2K") }
            state.statusShown = false
            state.finished = true
        }
    }

    /// Says that rollback runs after Ctrl-C/SIGTERM (called from the signal handler).
    public func interrupted(by signal: String) {
        observe(.note("\(signal) received: stopping the drill; rollback is running, please wait"), elapsed: 0)
    }

    /// `progress` with every text from the drill or its commands made inert (`TerminalText.line`).
    static func inert(_ progress: RunProgress) -> RunProgress {
        let t = TerminalText.line
        switch progress {
        case .phaseStarted: return progress
        case .stepStarted(let phase, let name): return .stepStarted(phase: phase, name: t(name))
        case .stepFinished(let phase, let name, let succeeded, let detail):
            return .stepFinished(phase: phase, name: t(name), succeeded: succeeded, detail: t(detail))
        case .waiting(let phase, let name, let probe, let endsAt, let timeout):
            return .waiting(phase: phase, name: t(name), probe: t(probe), endsAt: endsAt, timeout: timeout)
        case .probe(let phase, let name, let holds, let detail):
            return .probe(phase: phase, name: t(name), holds: holds, detail: t(detail))
        case .metric(var metric):
            metric.name = t(metric.name)
            metric.unit = t(metric.unit)
            metric.note = metric.note.map(t)
            return .metric(metric)
        case .note(let text): return .note(t(text))
        case .rollbackStarted(let why): return .rollbackStarted(t(why))
        case .tick: return .tick
        }
    }

    /// `waiting for "nine connections echo" · 12s of 60s left` (whole seconds, rounded up, so
    /// the time left never reads 0 s before the wait is over).
    static func waitingText(probe: String, left: Double, timeout: Double) -> String {
        let remaining = Int(max(0, left).rounded(.up))
        return "waiting for \"\(probe)\" · \(remaining)s of \(MetricFormat.number(timeout))s left"
    }

    static func stamp(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded(.down))
        return "+" + String(tenths / 10) + "." + String(tenths % 10) + "s"
    }

    /// The end summary: outcome, each criterion with actual against target, and the record's place.
    /// Each line is made inert (`TerminalText.line`): criteria texts, reasons and failures quote
    /// the drill and its commands.
    public static func summary(of run: DrillRun, recordPath: String?) -> String {
        var lines = [""]
        lines.append("Outcome: \(run.outcome.rawValue.uppercased())" + (run.abortReason.map { " (\($0))" } ?? "") + " in \(MetricFormat.duration(seconds: run.durationSeconds))")
        if let realisation = run.realisation {
            lines.append("Where: environment \(run.environment), " + (realisation == .local ? "local realisation on this machine" : "the environment's own systems"))
        }
        if run.timeline.contains(where: { $0.event == "rollback.failed" }) {
            lines.append("  ✗ ROLLBACK FAILED: the system may still be faulted; restore it by hand (the drill's rollback plan)")
        }
        for result in run.criteria {
            let mark = result.verdict == .met ? "✓" : result.verdict == .missed ? "✗" : "?"
            let actual = CriteriaEvaluation.actualText(result) ?? "not measured"
            lines.append("  \(mark) \(result.text): \(actual) (target \(result.targetText ?? "judged by the team"))")
        }
        let failures = run.observations.filter { $0.hasPrefix("Failure: ") }
        for failure in failures { lines.append("  ✗ " + failure.dropFirst("Failure: ".count)) }
        if let recordPath { lines.append("Record: \(recordPath)") }
        return lines.map(TerminalText.line).joined(separator: "\n") + "\n"
    }
}
