public import DrillbookContent
public import DrillbookModel
import DrillbookText
import Foundation

/// Why a drill may not run as asked.
public struct RunRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Where a run is realised and which environment its record names.
///
/// The rule: `drillbook run` always realises a drill **locally**. Its `execution:` steps start
/// the servers on this machine and its HTTP and TCP probes reach loopback hosts only, so the
/// record says `realisation: local` whatever the drill declares. The record's `environment` is
/// the one the operator targeted with `--environment NAME` (trimmed), and `local` without it: a
/// drill's own `environment:` key says where the drill is *meant* to run (`staging`), which a
/// local realisation did not touch. The production guard looks at both names.
public struct RunTarget: Sendable, Hashable {
    /// The environment the record names: `--environment`, else `local`.
    public var environment: String
    /// Always `.local` for `drillbook run` (see the type's rule).
    public var realisation: RunRealisation
    /// The drill's declared `environment:`, when it has one.
    public var declared: String?

    /// The environment file the run targets (`--environment NAME` found it, or
    /// `--environment-file`): then the realisation is `.environment` and the record names it.
    public var file: RunEnvironment?

    public init(_ drill: DrillDefinition, environment override: String?, file: RunEnvironment? = nil) {
        let chosen = override?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if let file {
            self.environment = file.name.trimmingCharacters(in: .whitespacesAndNewlines)
            self.realisation = .environment
        } else {
            self.environment = chosen.isEmpty ? "local" : chosen
            self.realisation = .local
        }
        self.file = file
        let declared = drill.environment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.declared = declared.isEmpty ? nil : declared
    }

    /// How the plan and the summary say it: `environment local (local realisation on this
    /// machine; the drill declares staging)`, `environment staging (its own systems, hosts
    /// 10.20.0.0/16, …)`.
    public var description: String {
        "environment \(environment) (\(realisation == .local ? "local realisation on this machine" : "its own systems, hosts \(HostAllowlist(file?.hosts ?? []))")"
            + (declared.map { "; the drill declares \($0)" } ?? "") + ")"
    }

    /// The hosts this run may touch: the environment file's, else a local realisation's.
    public var blastRadius: BlastRadius {
        file.map { BlastRadius(allowlist: HostAllowlist($0.hosts), owner: "environment \($0.name)") } ?? .localRealisation
    }

    /// True when a name is a production environment: trimmed and case-folded, it is or starts
    /// with `prod` (`production`, ` Production`, `prod-eu`, `PROD`).
    public static func isProduction(_ name: String?) -> Bool {
        guard let name else { return false }
        return name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().hasPrefix("prod")
    }

    /// The production name that needs an approver: the targeted one, else the declared one
    /// (`--environment` cannot lower a drill declared production), or nil.
    public var productionName: String? {
        if Self.isProduction(environment) || file?.production == true { return environment }
        if Self.isProduction(declared) { return declared }
        return nil
    }
}

/// The safety checks made before anything is touched.
public enum DrillPreflight {
    /// Refuses a production drill without an approver, and a drill with nothing to execute.
    /// A drill counts as production when its declared environment or the one `--environment`
    /// targets is a production name (`RunTarget.isProduction`).
    public static func check(_ drill: DrillDefinition, environment: String?, approvedBy: String?, file: RunEnvironment? = nil) -> RunRefusal? {
        let target = RunTarget(drill, environment: environment, file: file)
        if let production = target.productionName {
            let approver = approvedBy?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if approver.isEmpty {
                let why = production == target.environment
                    ? (target.file?.production == true && !RunTarget.isProduction(production) ? "targets \(production), which its environment file declares production" : "targets \(production)") : "is declared \(production) (--environment \(target.environment) does not lower that)"
                return RunRefusal("\(drill.id) \(why): refusing to run without --approve \"<name of the approver>\" (playbook: never run chaos experiments in production without approval)")
            }
        }
        if drill.execution == nil {
            return RunRefusal("\(drill.id) has no execution: block; it is run by hand (record the run with `drillbook new run`)")
        }
        return nil
    }

    /// The approver as recorded: trimmed, nil when empty.
    public static func approver(_ name: String?) -> String? {
        let trimmed = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The drill's budget in seconds (its allocated duration). The content checks refuse a
    /// duration they cannot read, so the 30-minute fallback only serves hand-built definitions.
    public static func budgetSeconds(_ drill: DrillDefinition) -> Double { drill.allocatedSeconds ?? 1800 }
}

/// The text `--dry-run` prints: every step, probe, timeout and the rollback, touching nothing.
///
/// Laid out in `width` columns when given (`DrillPlan.fitted`); without it each item is one line.
public enum DrillPlan {
    /// With `file`, `drill` is the drill as it runs there (`EnvironmentRealisation.apply`); the
    /// plan names the environment's hosts and the steps it skips. `${secret:NAME}` is shown as
    /// written, with whether its variable is set.
    public static func text(
        for drill: DrillDefinition, environment: String?, file: RunEnvironment? = nil, width: Int? = nil,
        secrets: SecretValues = SecretValues()
    ) -> String {
        let c = TerminalWrap.command
        let execution = drill.execution ?? DrillExecution()
        var lines: [String] = []
        lines.append("Plan for \(drill.title) (\(drill.id)), \(RunTarget(drill, environment: environment, file: file).description), budget \(drill.allocatedDuration)")
        lines.append("Objective: \(drill.objective)")
        if let file, let skipped = file.drill(drill.id)?.skip, !skipped.isEmpty {
            lines.append("Not run in \(file.name) (its own systems stand in): \(skipped.joined(separator: ", "))")
        }
        if !execution.variables.isEmpty {
            lines.append("Variables: " + execution.variables.sorted { $0.key < $1.key }.map { "${\($0.key)} = \($0.value)" }.joined(separator: ", "))
        }
        let secretNames = SecretValues.names(in: DrillPreflight.texts(of: drill))
        if !secretNames.isEmpty {
            let unset = Set(secrets.unset(secretNames))
            lines.append("Secrets (read from the environment when used, never shown): "
                + secretNames.map { "${secret:\($0)} " + (unset.contains($0) ? "NOT SET (a real run is refused)" : "set") }.joined(separator: ", "))
        }
        func probe(_ p: Probe) -> String {
            var what: String
            if let command = p.command {
                what = "command \(c(command))"
                if let status = p.exitStatus, status != 0 { what += " exits \(status)" }
                if let needle = p.contains { what += " and prints \"\(needle)\"" }
            } else if let url = p.http {
                what = "GET \(url) answers \(p.status ?? 200)"
                if let needle = p.contains { what += " with \"\(needle)\"" }
                if let field = p.jsonField { what += ", \(field) = \(p.jsonValue ?? "present")" }
                if let bound = p.maxLatencyMs { what += " within \(MetricFormat.value(bound, unit: "ms"))" }
            } else if let target = p.tcp {
                what = "TCP connect to \(target)"
            } else if let base = p.prometheus {
                what = "Prometheus \(base) query \(c(p.query ?? ""))" + (p.compare.map { " \($0.symbol) " + MetricFormat.number(p.threshold ?? .nan) } ?? "")
            } else if let base = p.alertmanager {
                what = "Alertmanager \(base) shows \(AlertmanagerAlerts.labelText(p.alert ?? [:])) firing"
            } else {
                what = "(no check)"
            }
            return "\(p.name): \(what) [attempt timeout \(MetricFormat.value(p.timeout ?? 5, unit: "s"))]"
        }
        func action(_ a: FaultAction) -> String {
            let timeout = " [timeout \(MetricFormat.value(a.timeout ?? 30, unit: "s"))]"
            if let load = a.load { return "\(a.name): load \(load.url) for \(MetricFormat.value(load.duration, unit: "s"))" + (load.rate.map { " at \(MetricFormat.number($0)) req/s" } ?? "") + ", \(load.concurrency ?? 4) workers" }
            if let wait = a.wait { return "\(a.name): wait \(MetricFormat.value(wait, unit: "s"))" }
            if let target = a.kill { return "\(a.name): send \(a.signal ?? "SIGKILL") to the process group of \(c(target))" }
            if let file = a.pidFile { return "\(a.name): send \(a.signal ?? "SIGKILL") to the pid in \(file)" }
            if let request = a.http { return "\(a.name): HTTP \(request)" + timeout }
            if let run = a.run {
                return "\(a.name): " + (a.background == true ? "start \(c(run)) in the background" : "run \(c(run))") + timeout
                    + (a.ready.map { " then wait for " + probe($0) } ?? "")
            }
            return "\(a.name): (nothing to do)"
        }
        func section(_ title: String, _ items: [String]) {
            guard !items.isEmpty else { return }
            lines.append("")
            lines.append(title)
            for (index, item) in items.enumerated() { lines.append("  \(index + 1). \(item)") }
        }
        section("Setup:", execution.setup.map { step in
            (step.background == true ? "\(step.name): start \(c(step.run)) in the background" : "\(step.name): run \(c(step.run))")
                + " [timeout \(MetricFormat.value(step.timeout ?? 30, unit: "s"))]" + (step.ready.map { " then wait for " + probe($0) } ?? "")
        })
        section("Steady state (must hold before the fault; checked again after recovery):", execution.steadyState.map(probe))
        section("Fault:", execution.fault.map(action) + execution.load.map { action(FaultAction(name: $0.name, load: $0)) })
        section("Abort at once if any of these fails (polled while the fault is active):", execution.abortIf.map { probe($0) + " every \(MetricFormat.value($0.interval ?? 1, unit: "s"))" })
        section("Watched during the fault:", execution.during.map { probe($0) + " every \(MetricFormat.value($0.interval ?? 1, unit: "s"))" + ($0.metric.map { ", failed share as \($0)" } ?? "") })
        section("Measure:", execution.measure.map { m in
            let kind = m.kind ?? .elapsed
            let head: String
            switch kind {
            case .elapsed: head = "\(m.metric): seconds from \(m.from ?? "?") until \(probe(m.probe))"
            case .holds: head = "\(m.metric): 1 if \(probe(m.probe)) holds, else 0"
            case .value: head = "\(m.metric): the number printed by \(probe(m.probe))"
            }
            return head + (m.trigger.map { " (first: " + action($0) + ")" } ?? "") + ", every \(MetricFormat.value(m.interval ?? 0.25, unit: "s")), up to \(MetricFormat.value(m.timeout, unit: "s"))"
                + ((m.after ?? []).isEmpty ? "" : " (after \((m.after ?? []).joined(separator: ", ")))")
        })
        section("Rollback (always runs once a fault action has started):", execution.rollback.map(action))
        section("Prometheus range queries (recorded after the rollback):", (execution.rangeQueries ?? []).map {
            "\($0.name): \(c($0.query)) from \($0.prometheus), every \(MetricFormat.value($0.step ?? 1, unit: "s"))"
        })
        section("Teardown (always):", execution.teardown.map { "\($0.name): run \(c($0.run)) [timeout \(MetricFormat.value($0.timeout ?? 30, unit: "s"))]" }
            + ["every child process group the drill started is killed"])
        section("Success criteria:", drill.successCriteria.map { c in
            c.metricTarget.map { "\(c.text): \($0.metric) \($0.targetText)" } ?? "\(c.text): judged by the team"
        })
        lines.append("")
        lines.append("Dry run: nothing was started.")
        return fitted(lines, width: width)
    }

    /// The checklists shown before the drill starts.
    public static func checklists(for drill: DrillDefinition, width: Int? = nil) -> String {
        var lines = ["Preparation checklist:"]
        lines += drill.preparationChecklist.map { "  [ ] " + $0 }
        lines.append("Rollback checklist:")
        lines += drill.rollbackChecklist.map { "  [ ] " + $0 }
        if let plan = drill.rollbackPlan { lines.append("Rollback plan: " + plan) }
        if let impact = drill.impact { lines.append("Expected impact: " + impact) }
        return fitted(lines, width: width)
    }

    /// What `drillbook run` shows before asking to start: the drill, its objective and the
    /// checklists, laid out in `width` columns when given.
    public static func confirmation(for drill: DrillDefinition, width: Int? = nil) -> String {
        fitted(["\(drill.title) (\(drill.id)): \(drill.objective)"], width: width) + "\n" + checklists(for: drill, width: width)
    }

    /// `lines` made inert (`TerminalText.line`: a drill's text cannot drive the terminal) and, with
    /// `width`, wrapped to it (`TerminalWrap`): prose at spaces under a hanging indent, commands
    /// between their shell words with ` \` line ends. Escaping comes first, so the width counts
    /// what the terminal shows.
    /// A line break inside an item (a command written on several lines) is kept.
    static func fitted(_ lines: [String], width: Int?) -> String {
        lines.flatMap { line -> [String] in
            let inert = line.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
                .map { TerminalText.line(String($0)) }.joined(separator: "\n")
            guard let width else { return [TerminalWrap.unwrapped(inert)] }
            return TerminalWrap.lines(inert, width: width)
        }.joined(separator: "\n")
    }
}

// MARK: - Environments, blast radius, secrets

/// A drill as it runs in a named environment: the local-realisation steps the environment skips
/// are left out, the actions it replaces are its own, and the drill's variables take the
/// environment's values. Everything else (probes, measurements, criteria) is the drill's.
public enum EnvironmentRealisation {
    /// The drill for `environment`, or why it cannot run there.
    public static func apply(_ environment: RunEnvironment, to drill: DrillDefinition) -> Result<DrillDefinition, RunRefusal> {
        guard var execution = drill.execution else { return .success(drill) }
        let entry = environment.drill(drill.id) ?? EnvironmentDrill(id: drill.id)
        let skip = Set(entry.skip)
        let replacements = Dictionary(entry.replace.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let label = "environment \(environment.name)"
        // Every name the environment mentions is one of the drill's: a typo must not leave a
        // local step running against the environment's systems.
        let steps = (execution.setup + execution.teardown).map(\.name)
        let actions = (execution.fault + execution.rollback + execution.measure.compactMap(\.trigger)).map(\.name)
        for name in entry.skip where !(steps + actions).contains(name) {
            return .failure(RunRefusal("\(label) skips \"\(name)\", which is no setup or teardown step or action of \(drill.id) (\((steps + actions).joined(separator: ", ")))"))
        }
        for name in entry.replace.map(\.name) where !actions.contains(name) {
            return .failure(RunRefusal("\(label) replaces \"\(name)\", which is no fault, rollback or trigger action of \(drill.id) (\(actions.joined(separator: ", ")))"))
        }
        var values = environment.variables
        for (name, value) in entry.variables { values[name] = value }
        let missing = execution.variables.keys.filter { values[$0] == nil }.sorted()
        if !missing.isEmpty {
            return .failure(RunRefusal("\(drill.id) refers to \(missing.map { "${\($0)}" }.joined(separator: ", ")), which \(label) gives no value (its variables:, or variables: under its drills: entry for \(drill.id))"))
        }
        func replaced(_ action: FaultAction) -> FaultAction {
            guard let replacement = replacements[action.name] else { return action }
            return FaultAction(name: action.name, run: replacement.run, http: replacement.http, event: action.event, timeout: replacement.timeout ?? action.timeout)
        }
        execution.setup.removeAll { skip.contains($0.name) }
        execution.teardown.removeAll { skip.contains($0.name) }
        execution.fault = execution.fault.filter { !skip.contains($0.name) }.map(replaced)
        execution.rollback = execution.rollback.filter { !skip.contains($0.name) }.map(replaced)
        for index in execution.measure.indices {
            guard let trigger = execution.measure[index].trigger else { continue }
            execution.measure[index].trigger = skip.contains(trigger.name) ? nil : replaced(trigger)
        }
        execution.variables = values
        // What acts on a process the environment does not have must have been replaced.
        let skippedServers = Set(drill.execution?.setup.filter { skip.contains($0.name) }.map(\.name) ?? [])
        for action in execution.fault + execution.rollback + execution.measure.compactMap(\.trigger) {
            if let target = action.kill, skippedServers.contains(target) {
                return .failure(RunRefusal("the action \(action.name) of \(drill.id) signals \(target), a server the local realisation starts and \(label) skips; expected a replacement (under its drills: entry for \(drill.id), replace: - name: \(action.name), with run: or http:)"))
            }
        }
        var adjusted = drill
        adjusted.execution = execution
        for text in DrillPreflight.texts(of: adjusted) {
            if let name = skippedServers.first(where: { text.contains("${PID_\($0)}") }) {
                return .failure(RunRefusal("\(drill.id) refers to ${PID_\(name)}, the pid of \(name), which \(label) skips and so never starts: \(text)"))
            }
        }
        return .success(adjusted)
    }
}

extension DrillPreflight {
    /// Every string of a drill's execution that a run substitutes and uses: commands, URLs,
    /// targets, texts compared, variables' values.
    public static func texts(of drill: DrillDefinition) -> [String] {
        let execution = drill.execution ?? DrillExecution()
        func probe(_ p: Probe) -> [String] {
            [p.command, p.http, p.tcp, p.contains, p.jsonValue, p.body, p.caFile, p.prometheus, p.query, p.alertmanager].compactMap { $0 }
                + (p.headers ?? [:]).sorted { $0.key < $1.key }.map(\.value) + (p.alert ?? [:]).sorted { $0.key < $1.key }.map(\.value)
        }
        func loadStep(_ l: LoadStep) -> [String] {
            [l.url, l.body, l.caFile].compactMap { $0 } + (l.headers ?? [:]).sorted { $0.key < $1.key }.map(\.value)
        }
        func action(_ a: FaultAction) -> [String] {
            [a.run, a.http, a.pidFile, a.body, a.caFile].compactMap { $0 } + (a.headers ?? [:]).sorted { $0.key < $1.key }.map(\.value)
                + (a.load.map(loadStep) ?? []) + (a.ready.map(probe) ?? [])
        }
        var texts = (execution.setup + execution.teardown).flatMap { [$0.run] + ($0.ready.map(probe) ?? []) }
        texts += (execution.steadyState + execution.during + execution.abortIf + execution.measure.map(\.probe)).flatMap(probe)
        texts += (execution.fault + execution.rollback + execution.measure.compactMap(\.trigger)).flatMap(action)
        texts += execution.load.flatMap(loadStep) + (execution.rangeQueries ?? []).flatMap { [$0.prometheus, $0.query] }
        texts += execution.variables.values.sorted()
        return texts
    }

    /// The secrets a drill (as it runs, with its environment's values) refers to whose variable
    /// is not set: the run is refused before it starts.
    public static func unsetSecrets(_ drill: DrillDefinition, secrets: SecretValues = SecretValues()) -> RunRefusal? {
        let missing = secrets.unset(SecretValues.names(in: texts(of: drill)))
        guard !missing.isEmpty else { return nil }
        let list = missing.map { "${secret:\($0)}" }.joined(separator: ", ")
        let variables = missing.joined(separator: ", ")
        return RunRefusal("\(drill.id) uses \(list), but the environment variable\(missing.count == 1 ? "" : "s") \(variables) \(missing.count == 1 ? "is" : "are") not set; set \(missing.count == 1 ? "it" : "them") in the shell that runs drillbook (nothing was started)")
    }

    /// Every probe, action, load step and command target of `drill` aimed outside `radius`, as a
    /// located error, checked before setup with the values known then (the environment's or the
    /// drill's own variables; ports as placeholders). A host that is not known before the run (it
    /// names a `${PID_…}` or a secret) is refused too: it could not be checked.
    ///
    /// `drill` is the drill as written; `environment` (with its file's text) says what is skipped
    /// and replaced: a replacement's target is located in the environment file.
    public static func blastRadius(
        _ drill: DrillDefinition, drillFile: String, drillText: String, environment: RunEnvironment?,
        environmentFile: String? = nil, environmentText: String? = nil, radius: BlastRadius
    ) -> [ContentIssue] {
        guard let execution = drill.execution else { return [] }
        let entry = environment.map { $0.drill(drill.id) ?? EnvironmentDrill(id: drill.id) }
        let skip = Set(entry?.skip ?? [])
        var variables = execution.variables
        if let environment {
            variables = environment.variables
            for (name, value) in entry?.variables ?? [:] { variables[name] = value }
        }
        var placeholders = ["RUN_DIR": "/run-dir", "DRILL_DIR": "/drill-dir"]
        for n in 1...64 { placeholders["PORT_\(n)"] = "1" }
        let known = RunVariables(values: placeholders).adding(variables)
        var issues: [ContentIssue] = []
        typealias Path = [RecordPathStep]

        func check(_ text: String, kind: Target, at path: Path, inEnvironment: Bool = false) {
            let substituted = known.substitute(text)
            let host: String?
            switch kind {
            case .url: host = BlastRadius.host(ofURL: substituted)
            case .request: host = BlastRadius.host(ofURL: BlastRadius.url(ofRequest: substituted))
            case .hostPort: host = BlastRadius.host(ofHostPort: substituted)
            case .host: host = substituted.trimmingCharacters(in: .whitespaces)
            }
            let message: String
            if let host, !host.isEmpty, !host.contains("${") {
                guard let refusal = radius.refusal(host: host) else { return }
                message = "aimed outside the blast radius, so nothing was sent: \(refusal)"
            } else {
                message = "expected a target whose host is known before the run (a host name or an address; not a ${PID_…} or a secret), got \"\(substituted)\""
            }
            if inEnvironment, let environmentFile, let environmentText {
                issues.append(EnvironmentFile.issue(file: environmentFile, yaml: environmentText, path: path, message: message))
            } else {
                issues.append(EnvironmentFile.issue(file: drillFile, yaml: drillText, path: path, message: message))
            }
        }
        func probe(_ p: Probe, at path: Path) {
            if let url = p.http { check(url, kind: .url, at: path + [.key("http")]) }
            if let target = p.tcp { check(target, kind: .hostPort, at: path + [.key("tcp")]) }
            if let url = p.prometheus { check(url, kind: .url, at: path + [.key("prometheus")]) }
            if let url = p.alertmanager { check(url, kind: .url, at: path + [.key("alertmanager")]) }
        }
        func load(_ step: LoadStep, at path: Path) { check(step.url, kind: .url, at: path + [.key("url")]) }
        func action(_ a: FaultAction, at path: Path) {
            if skip.contains(a.name) { return }
            if let index = entry?.replace.firstIndex(where: { $0.name == a.name }), let replacement = entry?.replace[index] {
                let here: Path = [.key("drills"), .index(environment?.drills.firstIndex { $0.id == drill.id } ?? 0), .key("replace"), .index(index)]
                if let request = replacement.http { check(request, kind: .request, at: here + [.key("http")], inEnvironment: true) }
                if let target = replacement.target { check(target, kind: .host, at: here + [.key("target")], inEnvironment: true) }
                return
            }
            if let request = a.http { check(request, kind: .request, at: path + [.key("http")]) }
            if let step = a.load { load(step, at: path + [.key("load")]) }
            if let ready = a.ready { probe(ready, at: path + [.key("ready")]) }
        }
        let root: Path = [.key("execution")]
        for (index, step) in execution.setup.enumerated() where !skip.contains(step.name) {
            if let ready = step.ready { probe(ready, at: root + [.key("setup"), .index(index), .key("ready")]) }
        }
        for (key, probes) in [("steadyState", execution.steadyState), ("abortIf", execution.abortIf), ("during", execution.during)] {
            for (index, p) in probes.enumerated() { probe(p, at: root + [.key(key), .index(index)]) }
        }
        for (index, a) in execution.fault.enumerated() { action(a, at: root + [.key("fault"), .index(index)]) }
        for (index, step) in execution.load.enumerated() { load(step, at: root + [.key("load"), .index(index)]) }
        for (index, m) in execution.measure.enumerated() {
            probe(m.probe, at: root + [.key("measure"), .index(index), .key("probe")])
            if let trigger = m.trigger { action(trigger, at: root + [.key("measure"), .index(index), .key("trigger")]) }
        }
        for (index, a) in execution.rollback.enumerated() { action(a, at: root + [.key("rollback"), .index(index)]) }
        for (index, range) in (execution.rangeQueries ?? []).enumerated() {
            check(range.prometheus, kind: .url, at: root + [.key("rangeQueries"), .index(index), .key("prometheus")])
        }
        return issues
    }

    private enum Target { case url, request, hostPort, host }
}
