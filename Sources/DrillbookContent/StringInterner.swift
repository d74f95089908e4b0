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
        run.drillId = intern(run.drillId)
        run.environment = intern(run.environment)
        run.runBy = intern(run.runBy)
        for index in run.participants.indices {
            run.participants[index].name = intern(run.participants[index].name)
            run.participants[index].role = intern(run.participants[index].role)
        }
        for index in run.timeline.indices {
            run.timeline[index].event = intern(run.timeline[index].event)
        }
        for index in run.metrics.indices {
            run.metrics[index].name = intern(run.metrics[index].name)
            run.metrics[index].unit = intern(run.metrics[index].unit)
        }
        for index in run.criteria.indices {
            run.criteria[index].criterionId = intern(run.criteria[index].criterionId)
            run.criteria[index].text = intern(run.criteria[index].text)
            run.criteria[index].metric = intern(run.criteria[index].metric)
            run.criteria[index].unit = intern(run.criteria[index].unit)
        }
        for index in run.actionItems.indices {
            run.actionItems[index].owner = intern(run.actionItems[index].owner)
        }
        return run
    }
}
