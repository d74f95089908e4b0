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

    public init(_ drill: DrillDefinition, environment override: String?) {
        let chosen = override?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.environment = chosen.isEmpty ? "local" : chosen
        self.realisation = .local
        let declared = drill.environment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.declared = declared.isEmpty ? nil : declared
    }

    /// How the plan and the summary say it: `environment local (local realisation on this
    /// machine; the drill declares staging)`.
    public var description: String {
        "environment \(environment) (\(realisation == .local ? "local realisation on this machine" : "the environment's own systems")"
            + (declared.map { "; the drill declares \($0)" } ?? "") + ")"
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
        if Self.isProduction(environment) { return environment }
        if Self.isProduction(declared) { return declared }
        return nil
    }
}

/// The safety checks made before anything is touched.
public enum DrillPreflight {
    /// Refuses a production drill without an approver, and a drill with nothing to execute.
    /// A drill counts as production when its declared environment or the one `--environment`
    /// targets is a production name (`RunTarget.isProduction`).
    public static func check(_ drill: DrillDefinition, environment: String?, approvedBy: String?) -> RunRefusal? {
        let target = RunTarget(drill, environment: environment)
        if let production = target.productionName {
            let approver = approvedBy?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if approver.isEmpty {
                let why = production == target.environment
                    ? "targets \(production)" : "is declared \(production) (--environment \(target.environment) does not lower that)"
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
    public static func text(for drill: DrillDefinition, environment: String?, width: Int? = nil) -> String {
        let c = TerminalWrap.command
        let execution = drill.execution ?? DrillExecution()
        var lines: [String] = []
        lines.append("Plan for \(drill.title) (\(drill.id)), \(RunTarget(drill, environment: environment).description), budget \(drill.allocatedDuration)")
        lines.append("Objective: \(drill.objective)")
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
