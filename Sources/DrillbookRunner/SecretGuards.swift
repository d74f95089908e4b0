import DrillbookModel
import Foundation

/// The launcher as a run sees it: a command's `${secret:NAME}` becomes `${NAME}`, a reference to
/// the variable the child inherits in its environment (so the value is on no command line `ps`
/// shows), and every output that comes back has the secrets' values redacted.
struct SecretLauncher: ProcessLauncher {
    let base: any ProcessLauncher
    let secrets: SecretValues

    func run(_ command: String, timeout: Double) async -> CommandResult {
        var result = await base.run(secrets.shellReferences(command), timeout: timeout)
        result.output = secrets.redact(result.output)
        return result
    }

    func start(_ command: String, name: String) throws(LaunchError) -> Int32 {
        try base.start(secrets.shellReferences(command), name: name)
    }

    func send(signal: Int32, to pid: Int32, group: Bool) throws(LaunchError) { try base.send(signal: signal, to: pid, group: group) }
    func isRunning(_ pid: Int32) -> Bool { base.isRunning(pid) }
    func output(of pid: Int32) -> String { secrets.redact(base.output(of: pid)) }
    func terminateAll() async -> [Int32] { await base.terminateAll() }
}

/// Progress with the secrets' values redacted before it reaches the terminal.
struct RedactingObserver: RunObserver {
    let base: any RunObserver
    let secrets: SecretValues

    func observe(_ progress: RunProgress, elapsed: Double) {
        guard !secrets.isEmpty else { return base.observe(progress, elapsed: elapsed) }
        let secrets = self.secrets
        func r(_ text: String) -> String { secrets.redact(text) }
        let clean: RunProgress
        switch progress {
        case .phaseStarted, .tick: clean = progress
        case .stepStarted(let phase, let name): clean = .stepStarted(phase: phase, name: r(name))
        case .waiting(let phase, let name, let probe, let endsAt, let timeout):
            clean = .waiting(phase: phase, name: r(name), probe: r(probe), endsAt: endsAt, timeout: timeout)
        case .stepFinished(let phase, let name, let succeeded, let detail):
            clean = .stepFinished(phase: phase, name: r(name), succeeded: succeeded, detail: r(detail))
        case .probe(let phase, let name, let holds, let detail): clean = .probe(phase: phase, name: r(name), holds: holds, detail: r(detail))
        case .metric(var metric):
            metric.note = metric.note.map { r($0) }
            clean = .metric(metric)
        case .note(let text): clean = .note(r(text))
        case .rollbackStarted(let text): clean = .rollbackStarted(r(text))
        }
        base.observe(clean, elapsed: elapsed)
    }
}

extension SecretValues {
    /// The record with every secret value redacted in every text it holds (a last pass: the
    /// launcher, the network and the observer already redact what they hand on). Field by field,
    /// so a value that looks like a number or a key cannot break the record. Unchanged when no
    /// secret was named.
    func redacted(_ run: DrillRun) -> DrillRun {
        guard !isEmpty else { return run }
        func r(_ text: String) -> String { redact(text) }
        var record = run
        record.overview.abortReason = run.overview.abortReason.map(r)
        record.overview.metrics = run.overview.metrics.map { metric in
            var copy = metric
            copy.note = metric.note.map(r)
            return copy
        }
        record.overview.criteria = run.overview.criteria.map { criterion in
            var copy = criterion
            copy.note = criterion.note.map(r)
            return copy
        }
        record.details.summary = run.details.summary.map(r)
        record.details.observations = run.details.observations.map(r)
        record.details.timeline = run.details.timeline.map { event in
            var copy = event
            copy.description = event.description.map(r)
            return copy
        }
        record.details.probes = run.details.probes.map { probe in
            var copy = probe
            copy.name = r(probe.name)
            copy.lastResult = probe.lastResult.map(r)
            return copy
        }
        record.details.outputs = run.details.outputs.map { output in
            var copy = output
            copy.command = r(output.command)
            copy.output = r(output.output)
            return copy
        }
        return record
    }
}
