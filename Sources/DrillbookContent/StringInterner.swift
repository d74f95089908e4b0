import DrillbookModel
import Synchronization

/// Shares one copy of the strings that repeat from record to record: a drill's criteria as each of
/// its runs restates them, metric names, timeline event kinds, roles, drill ids. A history of
/// 10,000 runs held each of those once per run (about 12 MB of the synthetic benchmark corpus).
/// Narrative text (summaries, observations, lessons) is left alone: it does not repeat in a real
/// history, and a synthetic corpus that reuses sentences must not look smaller than it is.
///
/// Safe to use from the loader's parallel decoding; strings of up to 15 UTF-8 bytes are stored
/// inline by Swift and are returned as they are.
final class StringInterner: Sendable {
    private let strings = Mutex<Set<String>>([])

    func intern(_ string: String) -> String {
        guard string.utf8.count > 15 else { return string }
        return strings.withLock { strings in
            if let index = strings.firstIndex(of: string) { return strings[index] }
            strings.insert(string)
            return string
        }
    }

    func intern(_ string: String?) -> String? { string.map { intern($0) } }

    /// `run` with its repeated fields sharing storage with earlier runs' (same values).
    func intern(_ run: DrillRun) -> DrillRun {
        var run = run
        run.overview.drillId = intern(run.overview.drillId)
        run.overview.environment = intern(run.overview.environment)
        run.overview.runBy = intern(run.overview.runBy)
        for index in run.details.participants.indices {
            run.details.participants[index].name = intern(run.details.participants[index].name)
            run.details.participants[index].role = intern(run.details.participants[index].role)
        }
        for index in run.details.timeline.indices {
            run.details.timeline[index].event = intern(run.details.timeline[index].event)
        }
        for index in run.overview.metrics.indices {
            run.overview.metrics[index].name = intern(run.overview.metrics[index].name)
            run.overview.metrics[index].unit = intern(run.overview.metrics[index].unit)
        }
        for index in run.overview.criteria.indices {
            run.overview.criteria[index].criterionId = intern(run.overview.criteria[index].criterionId)
            run.overview.criteria[index].text = intern(run.overview.criteria[index].text)
            run.overview.criteria[index].metric = intern(run.overview.criteria[index].metric)
            run.overview.criteria[index].unit = intern(run.overview.criteria[index].unit)
        }
        for index in run.overview.actionItems.indices {
            run.overview.actionItems[index].owner = intern(run.overview.actionItems[index].owner)
        }
        return run
    }
}
