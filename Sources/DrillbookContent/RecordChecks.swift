import DrillbookModel
import Foundation

/// Checks of one record on its own (cross-record checks are in `ContentLoader`). Each returns
/// issues located through the record's `SourceText`.
enum RecordChecks {
    static func check(run: DrillRun, file: String, source: SourceText) -> [ContentIssue] {
        var issues = pageName(run.id, kind: .run, file: file, source: source) + PlaceholderChecks.check(run, file: file, source: source)
        if run.schemaVersion != 1 {
            issues.append(
                .error(
                    file, source.location([.key("schemaVersion")]),
                    "unsupported schemaVersion \(run.schemaVersion); this drillbook reads version 1 (see docs/formats.md)"))
        }
        if run.endedAt < run.startedAt {
            issues.append(
                .error(
                    file, source.location([.key("endedAt")]),
                    "the run ended (\(run.endedAt.iso8601)) before it started (\(run.startedAt.iso8601)); expected endedAt at or after startedAt"))
        }
        if run.outcome == .passed, let missed = run.criteria.firstIndex(where: { $0.verdict == .missed }) {
            issues.append(
                .warning(
                    file, source.location([.key("outcome")]),
                    "outcome is passed but criterion " + quoted(run.criteria[missed].criterionId)
                        + " was missed ($.criteria[\(missed)].verdict); expected outcome failed"))
        }
        for (index, result) in run.criteria.enumerated() {
            guard let comparison = result.comparison, let target = result.target, let actual = result.actual,
                result.verdict != .notMeasured
            else { continue }
            let holds = comparison.holds(actual: actual, target: target)
            if holds != (result.verdict == .met) {
                let verdictText = holds ? "met" : "missed"
                issues.append(
                    .warning(
                        file, source.location([.key("criteria"), .index(index), .key("verdict")]),
                        "verdict is \(result.verdict.rawValue) but actual \(MetricFormat.number(actual)) "
                            + comparison.rawValue + " target \(MetricFormat.number(target)) "
                            + (holds ? "holds" : "does not hold") + "; expected " + verdictText))
            }
        }
        issues += actionItems(run.actionItems, file: file, source: source)
        return issues + markdown(run: run, file: file, source: source)
    }

    static func check(incident: Incident, file: String, source: SourceText) -> [ContentIssue] {
        var issues = pageName(incident.id, kind: .incident, file: file, source: source)
        issues += PlaceholderChecks.check(incident, file: file, source: source)
        if let resolvedAt = incident.resolvedAt, resolvedAt < incident.declaredAt {
            issues.append(
                .error(
                    file, source.location([.key("resolvedAt")]),
                    "resolved (\(resolvedAt.iso8601)) before it was declared (\(incident.declaredAt.iso8601)); expected the resolution time at or after the declaration"))
        }
        if let stated = incident.statedDuration, let computed = incident.durationSeconds {
            if let statedSeconds = DurationText.seconds(stated) {
                let difference = abs(statedSeconds - computed)
                if difference > 60 && difference > 0.05 * abs(computed) {
                    issues.append(
                        .warning(
                            file, source.location([.key("statedDuration")]),
                            "stated duration " + quoted(stated) + " (" + MetricFormat.duration(seconds: statedSeconds)
                                + ") differs from resolution time minus "
                                + (incident.startedAt == nil ? "declaration" : "start") + " time ("
                                + MetricFormat.duration(seconds: computed) + ")"))
                }
            } else {
                issues.append(
                    .warning(
                        file, source.location([.key("statedDuration")]),
                        "cannot read the duration " + quoted(stated) + "; expected something like 1h 25m, 45 minutes or PT1H25M"))
            }
        }
        issues += actionItems(incident.actionItems, file: file, source: source)
        return issues + markdown(incident: incident, file: file, source: source)
    }

    static func actionItems(_ items: [ActionItem], file: String, source: SourceText) -> [ContentIssue] {
        var issues: [ContentIssue] = []
        for (index, item) in items.enumerated() {
            if item.owner.trimmingSpaces.isEmpty {
                issues.append(
                    .error(
                        file, source.location([.key("actionItems"), .index(index), .key("owner")]),
                        "action item " + quoted(item.id) + " has no owner; every action item needs someone who owns it"))
            }
            if item.id.trimmingSpaces.isEmpty {
                issues.append(
                    .error(file, source.location([.key("actionItems"), .index(index), .key("id")]), "action item id is empty"))
            } else {
                issues += pageName(item.id, kind: .actionItem, file: file, source: source, at: [.key("actionItems"), .index(index), .key("id")])
            }
            if let tracker = item.tracker, !SiteConfiguration.isWebAddress(tracker) {
                issues.append(
                    .error(
                        file, source.location([.key("actionItems"), .index(index), .key("tracker")]),
                        "expected an http:// or https:// address without spaces, quotes or angle brackets, like https://tracker.example/browse/AI-2026-014"))
            }
        }
        return issues
    }

    /// The values of `site.yaml` that its shape cannot judge: addresses, the time zone, the title.
    static func check(site: SiteConfiguration, file: String, source: SourceText) -> [ContentIssue] {
        var issues: [ContentIssue] = []
        func error(_ key: String, _ message: String) { issues.append(.error(file, source.location([.key(key)]), message)) }
        for (key, value) in [("organisation", site.organisation), ("title", site.title)] {
            guard let value else { continue }
            if value.trimmingSpaces.isEmpty {
                error(key, key + " is empty; give a name, or leave the key out")
            } else if value.contains(where: \.isNewline) || value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                error(key, "expected one line of text without control characters")
            }
        }
        if let baseURL = site.baseURL, !SiteConfiguration.isWebAddress(baseURL) || baseURL.contains("?") || baseURL.contains("#") {
            error("baseURL", "expected an absolute http:// or https:// address without spaces, query or fragment, like https://drills.example.com/")
        }
        if let zone = site.timeZone, SiteTimeZone(identifier: zone) == nil {
            error("timeZone", "unknown time zone " + quoted(zone) + "; expected an IANA name like Europe/London, Asia/Kolkata or UTC")
        }
        if let pattern = site.trackerURL {
            if !pattern.contains("{id}") {
                error("trackerURL", "expected the pattern to contain {id}, where the action item id goes, like https://tracker.example/browse/{id}")
            } else if !SiteConfiguration.isWebAddress(pattern.replacingOccurrences(of: "{id}", with: "AI-1")) {
                error("trackerURL", "expected an http:// or https:// address with {id}, like https://tracker.example/browse/{id}")
            }
        }
        return issues
    }

    static func check(drill: DrillDefinition, file: String, source: SourceText) -> [ContentIssue] {
        var issues = markdown(drill: drill, file: file, source: source)
        var seen: [String: Int] = [:]
        for (index, criterion) in drill.successCriteria.enumerated() {
            if let first = seen[criterion.id] {
                issues.append(
                    .error(
                        file, source.location([.key("successCriteria"), .index(index), .key("id")]),
                        "criterion id " + quoted(criterion.id) + " is used twice (also $.successCriteria[\(first)].id); ids must be unique within a drill"))
            } else {
                seen[criterion.id] = index
            }
        }
        if drill.id.trimmingSpaces.isEmpty {
            issues.append(.error(file, source.location([.key("id")]), "the drill id is empty"))
        } else {
            issues += pageName(drill.id, kind: .drill, file: file, source: source)
        }
        if let execution = drill.execution {
            issues += ExecutionChecks.check(execution, file: file, source: source)
        }
        return issues
    }

    /// An id the site cannot name a page with (`!!!`, `index`, `done` for an action item), as an
    /// error at the id. Two ids that give the same page are found across files by `ContentLoader`.
    static func pageName(
        _ id: String, kind: PageSlug.Kind, file: String, source: SourceText, at path: [PathElement] = [.key("id")]
    ) -> [ContentIssue] {
        guard let problem = PageSlug.problem(id: id, kind: kind) else { return [] }
        return [.error(file, source.location(path), problem)]
    }

    static func check(schedule: DrillSchedule, file: String, source: SourceText) -> [ContentIssue] {
        var issues: [ContentIssue] = []
        var weeks: Set<Int> = []
        for (index, slot) in schedule.monthly.enumerated() {
            let path: [PathElement] = [.key("monthly"), .index(index), .key("week")]
            if !(1...4).contains(slot.week) {
                issues.append(.error(file, source.location(path), "expected a week from 1 to 4, got \(slot.week)"))
            } else if !weeks.insert(slot.week).inserted {
                issues.append(.error(file, source.location(path), "week \(slot.week) has two slots; expected one category per week"))
            }
        }
        var quarters: Set<Int> = []
        for (index, slot) in schedule.quarterly.enumerated() {
            let path: [PathElement] = [.key("quarterly"), .index(index), .key("quarter")]
            if !(1...4).contains(slot.quarter) {
                issues.append(.error(file, source.location(path), "expected a quarter from 1 to 4, got \(slot.quarter)"))
            } else if !quarters.insert(slot.quarter).inserted {
                issues.append(.error(file, source.location(path), "quarter \(slot.quarter) has two themes; expected one per quarter"))
            }
        }
        return issues
    }

    static func check(updates: [ActionUpdate], file: String, source: SourceText) -> [ContentIssue] {
        var issues = markdown(updates: updates, file: file, source: source)
        for (index, update) in updates.enumerated() {
            if let owner = update.owner, owner.trimmingSpaces.isEmpty {
                issues.append(
                    .error(
                        file, source.location([.key("updates"), .index(index), .key("owner")]),
                        "owner is empty; give the new owner's name, or leave the key out when the owner did not change"))
            }
        }
        return issues
    }
}

extension ContentLoader {
    /// One id that names a page, for `pageNameCollisions`: the record's own `id`, or (with
    /// `actionItem`) the id of its action item at that index.
    struct PageClaim {
        var id: String
        var file: ContentFile
        var actionItem: Int = -1

        var path: [PathElement] { actionItem < 0 ? [.key("id")] : [.key("actionItems"), .index(actionItem), .key("id")] }

        /// The order claims are judged in: the first claim of a page, by file then id, owns it.
        func precedes(_ other: PageClaim) -> Bool { (file.relative, id) < (other.file.relative, other.id) }
    }

    private static func read(_ value: inout Int32) -> Int32 { value }

    /// Ids of one kind that would give the same page (`INC/1` and `inc-1` both make
    /// `incidents/inc-1.html`): an error at the id of each later file, naming the first.
    ///
    /// One pass over the claims with a dictionary of slug → first claim, each id slugged once;
    /// only when some page has two different ids are its claims sorted to report them.
    func pageNameCollisions(_ claims: [PageClaim], kind: PageSlug.Kind) -> [ContentIssue] {
        // Per page: the claim that owns it so far, and whether two different ids claim it.
        var pages: [(owner: Int, slug: String, contested: Bool)] = []
        var pageOfSlug: [String: Int32] = [:]
        pageOfSlug.reserveCapacity(claims.count)
        var pageOfClaim = [Int32](repeating: -1, count: claims.count)
        for (index, claim) in claims.enumerated() {
            // Ids without a page are reported on their own; equal ids are duplicates, reported as such.
            guard let slug = PageSlug.slug(claim.id), PageSlug.problem(id: claim.id, slug: slug, kind: kind) == nil else { continue }
            // One hash per id: the `default:` subscript inserts the new page's number when absent.
            let page = Self.read(&pageOfSlug[slug, default: Int32(pages.count)])
            pageOfClaim[index] = page
            if Int(page) == pages.count {
                pages.append((index, slug, false))
                continue
            }
            let owner = claims[pages[Int(page)].owner]
            if owner.id != claim.id { pages[Int(page)].contested = true }
            if claim.precedes(owner) { pages[Int(page)].owner = index }
        }
        guard pages.contains(where: \.contested) else { return [] }

        var later: [Int] = []
        for (index, page) in pageOfClaim.enumerated() where page >= 0 && pages[Int(page)].contested {
            if claims[pages[Int(page)].owner].id != claims[index].id { later.append(index) }
        }
        return later.sorted { claims[$0].precedes(claims[$1]) }.map { index in
            let claim = claims[index]
            let page = pages[Int(pageOfClaim[index])]
            let first = claims[page.owner]
            return .error(
                claim.file.display, locate(claim.file, claim.path),
                "the " + kind.rawValue + " ids " + quoted(first.id) + " (in " + first.file.display + ") and " + quoted(claim.id)
                    + " would both be written to " + kind.folder + "/" + page.slug + ".html; rename one")
        }
    }
}
