import DrillbookText
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The progress of a long `build` or `corpus`, on standard error, shown only once the work has
/// taken over a second: on a terminal one line rewritten in place (`\r`, cut to the width, cleared
/// at the end); otherwise one plain line per step. `DRILLBOOK_PROGRESS=never` turns it off,
/// `always` shows it from the start (for tests and screenshots).
final class ProgressLine: @unchecked Sendable {
    enum Mode: Equatable { case never, auto, always }

    private let lock = NSLock()
    private let live: Bool
    private let mode: Mode
    private let width: Int
    private let started = ContinuousClock.now
    private var status = ""
    private var shownStatus: String?
    private var drawn = false
    private var finished = false
    private var ticker: Task<Void, Never>?

    /// A progress display titled `task` (`build`, `corpus`).
    init(environment: [String: String] = ProcessInfo.processInfo.environment, live: Bool = isatty(STDERR_FILENO) == 1) {
        switch environment["DRILLBOOK_PROGRESS"] {
        case "never", "0", "no": mode = .never
        case "always": mode = .always
        default: mode = .auto
        }
        self.live = live
        var size = winsize()
        if live, ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            width = Int(size.ws_col)
        } else {
            width = environment["COLUMNS"].flatMap(Int.init) ?? 80
        }
        guard mode != .never else { return }
        // On a terminal the line is redrawn every 0.2 s (the elapsed time moves); plain output only
        // gets a line when the step changes.
        ticker = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                self?.draw()
            }
        }
    }

    /// The step now under way (`render pages`, `runs 1200 of 10000`).
    func update(_ text: String) {
        lock.withLock { status = TerminalText.line(text) }
        if mode == .always { draw() }
    }

    /// Clears the line (terminal) and stops the display; call before printing the result.
    func finish() {
        ticker?.cancel()
        lock.withLock {
            finished = true
            if live && drawn { write("\r\u{1B}[2K") }
        }
    }

    private func draw() {
        lock.withLock {
            guard !finished, !status.isEmpty else { return }
            let elapsed = ContinuousClock.now - started
            guard mode == .always || elapsed >= .seconds(1) else { return }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if live {
                var line = status + " (" + String(format: "%.0f", seconds.rounded(.down)) + " s)"
                if line.count > width - 1 { line = String(line.prefix(max(1, width - 2))) + "…" }
                write("\r\u{1B}[2K" + line)
                drawn = true
            } else if shownStatus != status {
                write(status + "\n")
            }
            shownStatus = status
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
