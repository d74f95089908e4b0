import DrillbookMarkdown
import DrillbookModel

/// The Markdown pre-check of `drillbook check`: every text the site renders as Markdown is
/// scanned with `MarkdownRenderer.hazard(in:)`, the very function the renderer calls before it
/// hands a text to cmark. So `check` names, with file, line and JSON path, exactly the texts the
/// build shows as escaped plain text instead of parsing them in quadratic time. A warning, not an
/// error: the build does not fail on them, it only leaves their Markdown unformatted.
extension RecordChecks {
    static func markdown(run: DrillRun, file: String, source: SourceText) -> [ContentIssue] {
        var check = MarkdownCheck(file: file, source: source)
        check.text(run.summary, [.key("summary")])
        check.text(run.abortReason, [.key("abortReason")])
        for (index, event) in run.timeline.enumerated() {
            check.text(event.description, [.key("timeline"), .index(index), .key("description")])
        }
        for (index, metric) in run.metrics.enumerated() { check.text(metric.note, [.key("metrics"), .index(index), .key("note")]) }
        for (index, result) in run.criteria.enumerated() {
            check.text(result.text, [.key("criteria"), .index(index), .key("text")])
            check.text(result.note, [.key("criteria"), .index(index), .key("note")])
        }
        check.texts(run.observations, [.key("observations")])
        check.texts(run.lessons.wentWell, [.key("lessons"), .key("wentWell")])
        check.texts(run.lessons.couldImprove, [.key("lessons"), .key("couldImprove")])
        check.texts(run.lessons.nextSteps, [.key("lessons"), .key("nextSteps")])
        check.actionItems(run.actionItems)
        return check.issues
    }

    static func markdown(incident: Incident, file: String, source: SourceText) -> [ContentIssue] {
        var check = MarkdownCheck(file: file, source: source)
        check.text(incident.description, [.key("description")])
        check.texts(incident.impact, [.key("impact")])
        check.texts(incident.initialResponse, [.key("initialResponse")])
        for (index, update) in incident.updates.enumerated() {
            check.texts(update.progress, [.key("updates"), .index(index), .key("progress")])
            check.text(update.currentSituation, [.key("updates"), .index(index), .key("currentSituation")])
            check.texts(update.nextSteps, [.key("updates"), .index(index), .key("nextSteps")])
        }
        check.text(incident.rootCause, [.key("rootCause")])
        check.texts(incident.resolutionActions, [.key("resolutionActions")])
        check.texts(incident.preventionMeasures, [.key("preventionMeasures")])
        check.texts(incident.lessonsLearned, [.key("lessonsLearned")])
        check.actionItems(incident.actionItems)
        return check.issues
    }

    static func markdown(drill: DrillDefinition, file: String, source: SourceText) -> [ContentIssue] {
        var check = MarkdownCheck(file: file, source: source)
        check.text(drill.objective, [.key("objective")])
        check.texts(drill.scenario, [.key("scenario")])
        check.texts(drill.expectedBehaviour, [.key("expectedBehaviour")])
        for (index, criterion) in drill.successCriteria.enumerated() {
            check.text(criterion.text, [.key("successCriteria"), .index(index), .key("text")])
        }
        check.text(drill.impact, [.key("impact")])
        check.text(drill.rollbackPlan, [.key("rollbackPlan")])
        check.texts(drill.preparationChecklist, [.key("preparationChecklist")])
        check.texts(drill.rollbackChecklist, [.key("rollbackChecklist")])
        return check.issues
    }

    static func markdown(updates: [ActionUpdate], file: String, source: SourceText) -> [ContentIssue] {
        var check = MarkdownCheck(file: file, source: source)
        for (index, update) in updates.enumerated() { check.text(update.note, [.key("updates"), .index(index), .key("note")]) }
        return check.issues
    }
}

/// Collects the hazards of one record's texts, each located by its JSON path.
struct MarkdownCheck {
    let file: String
    let source: SourceText
    private(set) var issues: [ContentIssue] = []

    init(file: String, source: SourceText) {
        self.file = file
        self.source = source
    }

    /// Scans one text; the path is built only for a hazard (most texts are a few dozen bytes and
    /// are not even scanned).
    mutating func text(_ text: String?, _ path: @autoclosure () -> [PathElement]) {
        guard let text, let hazard = MarkdownRenderer.hazard(in: text) else { return }
        issues.append(.warning(file, source.location(path()), hazard.description))
    }

    /// Scans each text of a list, located by its index.
    mutating func texts(_ texts: [String], _ path: @autoclosure () -> [PathElement]) {
        for (index, text) in texts.enumerated() { self.text(text, path() + [.index(index)]) }
    }

    /// An action item's title and notes.
    mutating func actionItems(_ items: [ActionItem]) {
        for (index, item) in items.enumerated() {
            text(item.title, [.key("actionItems"), .index(index), .key("title")])
            text(item.notes, [.key("actionItems"), .index(index), .key("notes")])
        }
    }
}
