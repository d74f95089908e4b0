import Foundation

/// Reads `/proc` to count the living members of process groups: how tests (and the launcher's
/// end-of-run check) verify that nothing a drill started is left behind.
public enum ProcessTable {
    /// Pids of processes in group `group` that are alive (zombies, already dead, are not counted).
    public static func livingMembers(ofGroup group: Int32) -> [Int32] { members(ofGroup: group) { $0 != "Z" && $0 != "X" } }

    /// Pids of processes in group `group` that are stopped (SIGSTOP, state `T` or `t`): a SIGTERM
    /// stays pending for them until they are continued.
    public static func stoppedMembers(ofGroup group: Int32) -> [Int32] { members(ofGroup: group) { $0 == "T" || $0 == "t" } }

    /// Pids of processes in group `group` whose state (`/proc/PID/stat`'s third field) passes `state`.
    private static func members(ofGroup group: Int32, state: (Substring) -> Bool) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var members: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm) ": state ppid pgrp …
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let pgrp = Int32(fields[2]) else { continue }
            if pgrp == group && state(fields[0]) { members.append(pid) }
        }
        return members.sorted()
    }
}

extension ProcessLauncher {
    /// By default a group lives as long as its leader (fakes that start no real process).
    public func groupHasLivingMembers(_ pid: Int32) -> Bool { isRunning(pid) }
}

extension PosixProcessLauncher {
    /// What `/proc` shows: a zombie leader (killed, not yet reaped) is not a living member, a
    /// child left in the group is.
    public func groupHasLivingMembers(_ pid: Int32) -> Bool { !ProcessTable.livingMembers(ofGroup: pid).isEmpty }
}
