import DrillbookModel
import Foundation

/// The drill's Prometheus range queries (`execution.rangeQueries`), asked once the rollback ran and
/// before the teardown (the monitoring stack is still up) over the whole run, each kept in the
/// record as an `EvidenceSeries` with source `prometheus`.
struct MonitoringSeries {
    let context: RunContext

    func record() async {
        let queries = context.execution.rangeQueries ?? []
        guard !queries.isEmpty else { return }
        let recorder = context.recorder
        let runStart = recorder.startWall.timeIntervalSince1970
        let end = runStart + (context.clock.now() - recorder.startMonotonic)
        for query in queries {
            let series = await PrometheusQuery.series(
                query, resolvedBase: context.variables.substitute(query.prometheus), resolvedQuery: context.variables.substitute(query.query),
                runStart: runStart, end: end, network: context.engine.network)
            recorder.record(series: series)
            context.report(.note("series \(query.name): " + (series.points.isEmpty ? (series.note ?? "no points") : "\(series.points.count) points")))
        }
    }
}
