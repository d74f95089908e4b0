public import DrillbookModel
import Foundation

/// Every run id drillbook forms, decided here and nowhere else. A run's id is its record's file
/// name without `.json` (`<YYYY-MM-DD>-<drill-id>[-N]`, the day in the run's own UTC offset).
public enum RunRecordId {
    /// The id of the `attempt`-th run of `drillId` started on the local day of `startedAt` (1 for
    /// the first, which has no suffix). The engine's record carries attempt 1; `RunRecordWriter`
    /// sets the attempt whose file name it could claim.
    public static func executed(drillId: String, startedAt: Timestamp, attempt: Int = 1) -> String {
        let base = startedAt.localDay.iso8601 + "-" + drillId
        return attempt <= 1 ? base : base + "-" + String(attempt)
    }

    /// The id of a run recorded by hand (`drillbook new run`): the day, the drill and the local
    /// time of day (`2026-03-02-redis-sentinel-failover-1015`), so a second one the same day does
    /// not collide with an executed run's name.
    public static func recordedByHand(drillId: String, at time: Timestamp) -> String {
        time.localDay.iso8601 + "-" + drillId + "-" + time.localTimeOfDay.replacingOccurrences(of: ":", with: "")
    }
}
