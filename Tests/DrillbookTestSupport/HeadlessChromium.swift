public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Debian's headless Chromium for tests that look at a page as a browser runs it: every browser
/// gets a profile folder of its own, and its processes are killed by the pids whose command
/// lines name that folder (no other process names it).
public enum HeadlessChromium {
    public static func arguments(profile: URL) -> [String] {
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         "--user-data-dir=" + profile.path]
    }

    /// Kills every process whose command line names `profile` (a browser and its helpers).
    public static func killAll(using profile: URL) {
        let marker = Array(("--user-data-dir=" + profile.path).utf8)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let id = pid_t(name), let line = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { continue }
            let bytes = Array(line)
            if bytes.count >= marker.count, (0...(bytes.count - marker.count)).contains(where: { bytes[$0..<$0 + marker.count].elementsEqual(marker) }) {
                kill(id, SIGKILL)
            }
        }
    }

    /// The DOM of `url` once loaded (after `virtualTimeMilliseconds` of the page's timers when
    /// given), from a short-lived browser: 60 s of real time at most, then killed with its helpers.
    public static func dumpDOM(_ url: String, profile: URL, virtualTimeMilliseconds: Int? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["-s", "KILL", "60", "/usr/bin/chromium"] + arguments(profile: profile)
            + (virtualTimeMilliseconds.map { ["--virtual-time-budget=\($0)"] } ?? []) + ["--dump-dom", url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killAll(using: profile)
        return String(decoding: data, as: UTF8.self)
    }
}
