import DrillbookContent
public import DrillbookModel
public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a synthetic, realistic content folder for benchmarks and large-site tests: the drills and
/// schedule of a real content folder (`playbook`, normally the repository's `content/`), `runs` drill runs spread over years on the Appendix A schedule, `incidents`
/// incidents (half JSON, half the playbook's text form), action items raised by both, and status
/// histories for a share of them.
///
/// ```swift
/// let summary = try CorpusGenerator(playbook: content, runs: 10_000, incidents: 500, seed: 42).write(to: folder)
/// ```
///
/// The same parameters give byte-identical files (a seeded SplitMix64, no clock, no system
/// randomness). Every record passes `drillbook check` with no errors: verdicts agree with their
/// targets, ids are unique, action items have owners, incident durations match their times.
public struct CorpusGenerator: Sendable {
    /// The content folder whose `drills/*.yaml` and `schedule.yaml` the corpus copies.
    public var playbook: URL
    /// How many drill runs to write.
    public var runs: Int
    /// How many incidents to write.
    public var incidents: Int
    /// The seed of the pseudo-random sequence.
    public var seed: UInt64
    /// The last day a run or incident may fall on; history runs back from it.
    public var lastDay: CalendarDay
    /// Told what is being written, every few hundred files (`runs 1500 of 10000`), for a progress line.
    public var progress: (@Sendable (String) -> Void)?

    public init(
        playbook: URL, runs: Int, incidents: Int, seed: UInt64,
        lastDay: CalendarDay = CalendarDay(year: 2026, month: 10, day: 31)!
    ) {
        self.playbook = playbook
        self.runs = max(0, runs)
        self.incidents = max(0, incidents)
        self.seed = seed
        self.lastDay = lastDay
    }

    /// What a generation wrote.
    public struct Summary: Sendable, Equatable {
        public var drills = 0
        public var runs = 0
        public var incidentsJSON = 0
        public var incidentsText = 0
        public var actionItems = 0
        public var actionUpdateFiles = 0
        /// The first and last day of the history.
        public var firstDay: CalendarDay
        public var lastDay: CalendarDay
    }

    /// A generation that could not finish: the file it was writing and why.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { path + ": " + message }
    }

    /// How many months the history spans: a few runs per schedule slot, at most eight years.
    var months: Int { min(96, max(3, (runs + 59) / 60)) }

    var firstDay: CalendarDay {
        let start = lastDay.adding(months: -(months - 1))
        return CalendarDay(year: start.year, month: start.month, day: 1)!
    }

    /// Writes the corpus into `folder` (created when missing). Files already there with other
    /// names are left alone; files with the same names are replaced.
    ///
    /// Each file is written beside its name and renamed into place (readers never see half a
    /// file) without an fsync per file: it is generated test data, so the whole corpus is flushed
    /// with one `sync` at the end (10,000 runs took 85 s on disk with two
    /// fsyncs per file).
    @discardableResult
    public func write(to folder: URL) throws(Failure) -> Summary {
        var summary = Summary(firstDay: firstDay, lastDay: lastDay)
        var random = SplitMix64(seed: seed)
        let drills = try writeDrills(into: folder)
        summary.drills = drills.count
        try writeSchedule(into: folder)

        var actions = ActionCounter()
        var runRecords: [DrillRun] = []
        runRecords.reserveCapacity(runs)
        for index in 0..<runs {
            if index % 250 == 0 { progress?("corpus: runs \(index) of \(runs)") }
            let run = makeRun(index: index, drills: drills, random: &random, actions: &actions)
            let url = folder.appendingPathComponent("runs/" + String(run.startedAt.localDay.year) + "/" + run.id + ".json")
            try save(try encode(run, path: url.path), url)
            runRecords.append(run)
            summary.runs += 1
        }
        for index in 0..<incidents {
            if index % 250 == 0 { progress?("corpus: incidents \(index) of \(incidents)") }
            let linked = index % 7 == 3 && !runRecords.isEmpty ? runRecords[random.below(runRecords.count)] : nil
            let incident = makeIncident(index: index, linkedRun: linked, random: &random, actions: &actions)
            if index % 2 == 0 {
                let url = folder.appendingPathComponent("incidents/" + incident.id + ".json")
                try save(try encode(incident, path: url.path), url)
                summary.incidentsJSON += 1
            } else {
                let url = folder.appendingPathComponent("incidents/" + incident.id + ".log")
                try save(Data(IncidentTemplateText.text(of: incident).utf8), url)
                summary.incidentsText += 1
            }
        }
        summary.actionItems = actions.raised.count
        for raised in actions.raised where raised.number % 3 == 0 {
            let url = folder.appendingPathComponent("actions/" + raised.item.id + ".json")
            let file = ActionUpdatesFile(updates: updates(for: raised, random: &random))
            try save(try encode(file, path: url.path), url)
            summary.actionUpdateFiles += 1
        }
        progress?("corpus: flushing to disk")
        Self.flush(folder)
        return summary
    }

    // MARK: - Drills

    /// Copies the playbook's drill definitions, checking that each loads.
    private func writeDrills(into folder: URL) throws(Failure) -> [DrillDefinition] {
        let source = playbook.appendingPathComponent("drills", isDirectory: true)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        guard !names.isEmpty else {
            throw Failure(path: source.path, message: "no drill definitions (*.yaml) to build the corpus from; pass --playbook DIR")
        }
        let loader = ContentLoader(contentDirectory: folder)
        var drills: [DrillDefinition] = []
        for name in names {
            let url = folder.appendingPathComponent("drills/" + name)
            try save(try read(source.appendingPathComponent(name)), url)
            switch loader.loadRecord(at: url) {
            case .success(.drill(let drill)): drills.append(drill)
            default: throw Failure(path: source.appendingPathComponent(name).path, message: "the drill does not load; run drillbook check on it")
            }
        }
        return drills
    }

    /// Copies the playbook's schedule with its start moved to the corpus's first day, so slots
    /// before the history are not counted as missed.
    private func writeSchedule(into folder: URL) throws(Failure) {
        let source = playbook.appendingPathComponent("schedule.yaml")
        var lines: [String] = []
        if FileManager.default.fileExists(atPath: source.path) {
            lines = String(decoding: try read(source), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("startsOn:") }.map(String.init)
        } else {
            // Typed halves: as one `+` chain of closures this took seconds to type-check.
            let monthly: [String] = DrillSchedule.playbook.monthly.flatMap { ["  - week: \($0.week)", "    category: \($0.category.rawValue)"] }
            let quarterly: [String] = DrillSchedule.playbook.quarterly.flatMap { ["  - quarter: \($0.quarter)", "    category: \($0.category.rawValue)"] }
            lines = ["monthly:"] + monthly + ["quarterly:"] + quarterly + [""]
        }
        let text = "startsOn: \"" + firstDay.iso8601 + "\"\n" + lines.joined(separator: "\n")
        try save(Data(text.utf8), folder.appendingPathComponent("schedule.yaml"))
    }

    private func read(_ url: URL) throws(Failure) -> Data {
        do { return try Data(contentsOf: url) } catch { throw Failure(path: url.path, message: "cannot read the file") }
    }

    // MARK: - Runs

    /// The schedule slot of run `index`: its day and the category practised.
    private func slot(index: Int, random: inout SplitMix64) -> (day: CalendarDay, category: DrillCategory) {
        let month = firstDay.adding(months: index * months / max(1, runs))
        let monthly: [DrillCategory] = [
            .infrastructureResilience, .dataProviderOutage, .loadAndPerformance, .incidentResponsePractice,
        ]
        let quarterly: [DrillCategory] = [.fullSystemFailure, .multiRegionOutage, .securityIncident, .complianceViolation]
        let length = CalendarDay.daysIn(month: month.month, year: month.year)
        if month.month % 3 == 2, random.chance(0.15) {
            let theme = quarterly[(month.month - 1) / 3]
            return (month.adding(days: random.below(min(28, length))), theme)
        }
        let week = random.below(4)
        let dayInMonth = week < 3 ? week * 7 + random.below(7) : 21 + random.below(length - 21)
        return (month.adding(days: dayInMonth), monthly[week])
    }

    private func makeRun(
        index: Int, drills: [DrillDefinition], random: inout SplitMix64, actions: inout ActionCounter
    ) -> DrillRun {
        let (day, category) = slot(index: index, random: &random)
        let candidates = drills.filter { $0.category == category }
        let drill = random.pick(candidates.isEmpty ? drills : candidates)
        let offset = 19_800
        let start = Timestamp(
            secondsSince1970: Double(day.daysSince1970 * 86_400 + (9 + random.below(8)) * 3600 + random.below(4) * 900 - offset),
            utcOffsetSeconds: offset)
        let minutes = 15 + random.below(50)
        let end = start.adding(seconds: Double(minutes * 60))
        let id = day.iso8601 + "-" + drill.id + "-" + Self.padded(index, 5)

        var values: [String: Double] = [:]
        var criteria: [CriterionResult] = []
        for criterion in drill.successCriteria {
            guard let metric = criterion.metric, let comparison = criterion.comparison, let target = criterion.target else {
                let verdict: Verdict = random.chance(0.8) ? .met : .notMeasured
                criteria.append(CriterionResult(
                    criterionId: criterion.id, text: criterion.text, unit: criterion.unit,
                    note: verdict == .met ? "Judged by the drill lead and the observer." : nil, verdict: verdict))
                continue
            }
            let actual = values[metric] ?? Self.value(for: comparison, target: target, unit: criterion.unit, meet: random.chance(0.78), random: &random)
            values[metric] = actual
            criteria.append(CriterionResult(
                criterionId: criterion.id, text: criterion.text, metric: metric, comparison: comparison, target: target,
                unit: criterion.unit, actual: actual, verdict: comparison.holds(actual: actual, target: target) ? .met : .missed))
        }
        var metrics: [Metric] = []
        for criterion in drill.successCriteria {
            guard let metric = criterion.metric, let value = values[metric], !metrics.contains(where: { $0.name == metric }) else { continue }
            metrics.append(Metric(name: metric, value: value, unit: criterion.unit ?? "count", note: random.chance(0.3) ? "from the probe log" : nil))
        }
        if let recovery = drill.recoveryTarget, !metrics.contains(where: { $0.name == recovery.metric }) {
            let value = Self.value(for: .lessThanOrEqual, target: recovery.seconds, unit: "s", meet: random.chance(0.8), random: &random)
            metrics.append(Metric(name: recovery.metric, value: value, unit: "s"))
        }
        let aborted = random.chance(0.03)
        let missed = criteria.contains { $0.verdict == .missed }
        let outcome: RunOutcome = aborted ? .aborted : (missed ? .failed : .passed)

        let people = random.sample(CorpusText.people, 3 + random.below(2))
        var participants = [Participant(name: people[0], role: "Drill lead")]
        for person in people.dropFirst() { participants.append(Participant(name: person, role: random.pick(CorpusText.roles))) }

        let faultAt = start.adding(seconds: Double(120 + random.below(300)))
        let detectedAt = faultAt.adding(seconds: Double(5 + random.below(60)))
        let recoveredAt = detectedAt.adding(seconds: Double(20 + random.below(400)))
        let timeline = [
            TimelineEvent(at: start.adding(seconds: 60), event: "steady-state.verified", description: "Error rate and latency within normal bands."),
            TimelineEvent(at: faultAt, event: "fault.injected", description: "Fault injected with `make chaos-" + drill.id + "`."),
            TimelineEvent(at: detectedAt, event: "failure.detected", description: "Alert **fired** in the on-call channel."),
            TimelineEvent(at: min(recoveredAt, end), event: "service.recovered"),
            TimelineEvent(at: end, event: "rollback.completed", description: "System back in steady state."),
        ]
        let summary = [random.pick(CorpusText.openers), random.pick(CorpusText.middles), random.pick(CorpusText.middles),
                       random.pick(CorpusText.closers)].joined(separator: " ")
            + "\n\nOutcome: **" + outcome.rawValue + "**, " + String(criteria.filter { $0.verdict == .met }.count)
            + " of " + String(criteria.count) + " criteria met."
        let lessons = Lessons(
            wentWell: random.sample(CorpusText.wentWell, 3),
            couldImprove: random.sample(CorpusText.couldImprove, 3),
            nextSteps: random.sample(CorpusText.nextSteps, 3))
        var items: [ActionItem] = []
        let count = missed ? 1 + random.below(2) : (random.chance(0.3) ? 1 : 0)
        for _ in 0..<count {
            items.append(actions.raise(day: day, owner: random.pick(people), title: random.pick(CorpusText.actionTitles), random: &random))
        }
        return DrillRun(
            id: id, drillId: drill.id, environment: drill.environment ?? "staging", startedAt: start, endedAt: end,
            participants: participants, outcome: outcome,
            abortReason: aborted ? "Stopped after the **error budget** alarm fired on a production dependency." : nil,
            approvedBy: drill.environment == "production" ? "Head of Engineering" : nil, runBy: people[0],
            summary: summary, timeline: timeline, metrics: metrics, criteria: criteria,
            observations: random.sample(CorpusText.observations, 4), lessons: lessons, actionItems: items)
    }

    /// A measured value that meets (or misses) `comparison target`, rounded to one decimal.
    static func value(for comparison: Comparison, target: Double, unit: String?, meet: Bool, random: inout SplitMix64) -> Double {
        let isBool = unit == "bool"
        let spread = Double(random.between(10, 90)) / 100
        let raw: Double
        switch comparison {
        case .lessThan, .lessThanOrEqual:
            raw = meet ? target * (1 - spread * 0.9) : target * (1 + spread) + 1
        case .greaterThan, .greaterThanOrEqual:
            raw = meet ? target * (1 + spread * 0.2) + (isBool ? 0 : 1) : target * (1 - spread * 0.9) - 0.1
        case .equal:
            raw = meet ? target : (isBool ? 1 - target : target + Double(random.between(1, 5)))
        case .notEqual:
            raw = meet ? target + 1 : target
        }
        let rounded = (raw * 10).rounded() / 10
        if isBool { return rounded >= 0.5 ? 1 : 0 }
        return max(0, rounded)
    }

    // MARK: - Incidents

    private func makeIncident(
        index: Int, linkedRun: DrillRun?, random: inout SplitMix64, actions: inout ActionCounter
    ) -> Incident {
        let span = max(1, firstDay.days(until: lastDay))
        let declared: Timestamp
        if let linkedRun {
            declared = Timestamp(secondsSince1970: (linkedRun.startedAt.secondsSince1970 / 60).rounded(.up) * 60 + 300)
        } else {
            let day = firstDay.adding(days: index * span / max(1, incidents))
            declared = Timestamp(secondsSince1970: Double(day.daysSince1970 * 86_400 + random.below(24 * 60) * 60))
        }
        let severity = Severity.allCases[index % 4]
        let started = declared.adding(seconds: -Double(60 * (2 + random.below(8))))
        let detected = started.adding(seconds: Double(60 * (1 + random.below(2))))
        let resolved: Timestamp? = random.chance(0.92) ? declared.adding(seconds: Double(60 * (15 + random.below(300)))) : nil
        let id = "INC-" + String(declared.utcDay.year) + "-" + Self.padded(index + 1, 5)
        let update = IncidentUpdate(
            at: declared.adding(seconds: 600), status: random.pick(["Investigating", "Identified", "Mitigated"]),
            progress: ["Failover triggered by hand", "Deployments frozen"],
            currentSituation: "Traffic is served from the **standby**; error rate is back under 1%.",
            nextSteps: ["Confirm replication", "Re-enable deployments"], nextUpdate: "in 30 minutes")
        let owner = random.pick(CorpusText.people)
        // The text form lists action items in the resolution block only, so open incidents raise none.
        let items = resolved == nil
            ? [] : [actions.raise(day: declared.utcDay, owner: owner, title: random.pick(CorpusText.actionTitles), random: &random)]
        return Incident(
            id: id, severity: severity, type: random.pick(CorpusText.incidentTypes), location: random.pick(CorpusText.locations),
            description: random.pick(CorpusText.incidentDescriptions) + "\n\nFirst reported by the synthetic order probe.",
            impact: ["Some order submissions failed", "Price ticks delayed by up to 20 s"],
            initialResponse: ["Paged the on-call engineer", "Froze deployments"],
            declaredAt: declared, startedAt: started, detectedAt: detected, acknowledgedAt: declared.adding(seconds: 60),
            escalatedAt: severity <= .p2 ? declared.adding(seconds: 600) : nil, nextUpdate: "in 30 minutes",
            updates: resolved == nil || resolved! > update.at ? [update] : [], resolvedAt: resolved,
            statedDuration: resolved.map { Self.durationText(started.seconds(until: $0)) },
            rootCause: resolved == nil ? nil : random.pick(CorpusText.rootCauses),
            resolutionActions: resolved == nil ? [] : ["Promoted the standby", "Restarted the order service"],
            preventionMeasures: resolved == nil ? [] : ["Spread replicas across hosts"],
            lessonsLearned: resolved == nil ? [] : [random.pick(CorpusText.couldImprove)],
            actionItems: items, drillRunId: linkedRun?.id)
    }

    /// `1h 15m`, `45m`: whole minutes, as people write them.
    static func durationText(_ seconds: Double) -> String {
        let minutes = Int((seconds / 60).rounded())
        if minutes < 60 { return String(minutes) + "m" }
        return String(minutes / 60) + "h" + (minutes % 60 == 0 ? "" : " " + String(minutes % 60) + "m")
    }

    // MARK: - Action items

    private func updates(for raised: ActionCounter.Raised, random: inout SplitMix64) -> [ActionUpdate] {
        let start = raised.day
        var entries = [ActionUpdate(
            on: start.adding(days: 1 + random.below(5)), status: .inProgress, by: raised.item.owner,
            note: "Work started; see the *linked* change.")]
        if raised.number % 2 == 0 {
            entries.append(.init(
                on: start.adding(days: 8 + random.below(5)), status: .inProgress, by: random.pick(CorpusText.people),
                note: "Handed over while the owner is on leave.", owner: random.pick(CorpusText.people), dueDate: start.adding(days: 40)))
        }
        if raised.item.status != .inProgress {
            entries.append(.init(on: start.adding(days: 15 + random.below(20)), status: raised.item.status, by: raised.item.owner))
        }
        return entries
    }

    // MARK: - Files

    private func encode<T: Encodable>(_ value: T, path: String) throws(Failure) -> Data {
        do {
            return try RecordJSON.encode(value)
        } catch {
            throw Failure(path: path, message: "cannot encode the record (\(error))")
        }
    }

    /// Writes `data` to a temporary file beside `url` and renames it over `url` (no fsync; see
    /// `write(to:)`), creating missing folders.
    private func save(_ data: Data, _ url: URL) throws(Failure) {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent("." + url.lastPathComponent + ".corpus-tmp")
        do {
            do {
                try data.write(to: temporary)
            } catch {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try data.write(to: temporary)
            }
        } catch {
            throw Failure(path: url.path, message: "cannot write the file (\(error))")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: url.path, message: "cannot write the file (\(reason))")
        }
    }

    /// One flush to disk (`sync(2)`) for the whole corpus, instead of one per file (Glibc's
    /// module does not export `syncfs`).
    static func flush(_ folder: URL) {
        sync()
    }

    static func padded(_ number: Int, _ width: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// Hands out unique action-item ids and cycles statuses and priorities so every one appears.
struct ActionCounter {
    struct Raised {
        var item: ActionItem
        var day: CalendarDay
        var number: Int
    }

    private(set) var raised: [Raised] = []

    mutating func raise(day: CalendarDay, owner: String, title: String, random: inout SplitMix64) -> ActionItem {
        let number = raised.count + 1
        let status = ActionStatus.allCases[number % ActionStatus.allCases.count]
        let priority = ActionPriority.allCases[(number / 5) % ActionPriority.allCases.count]
        let closed = status == .done || status == .cancelled
        let item = ActionItem(
            id: "AI-" + String(day.year) + "-" + CorpusGenerator.padded(number, 6), title: title, owner: owner,
            dueDate: random.chance(0.7) ? priority.defaultDueDate(from: day) : nil, status: status, priority: priority,
            closedOn: closed ? day.adding(days: 20 + random.below(30)) : nil,
            notes: random.chance(0.3) ? "Raised in the retrospective; see the run's *could improve* list." : nil)
        raised.append(Raised(item: item, day: day, number: number))
        return item
    }
}
