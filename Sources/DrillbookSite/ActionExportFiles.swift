import DrillbookAnalysis
import DrillbookModel

/// `actions/actions.csv`, `actions/actions.json` and `actions/actions.ics`: data files written as
/// they are, with no template (`ActionItemExport` renders them; `drillbook actions` prints the same data).
struct ActionExportFilesBuilder: Sendable {
    let site: SiteIndex

    /// `actions.csv`, `actions.json` and `actions.ics`: data files, written as they are rather
    /// than through a template. Each assembles its records when it is written and lets them go
    /// afterwards, rather than holding them for the whole build.
    func files() -> [GeneratedFile] {
        ActionExportFormat.allCases.map { format in
            GeneratedFile(path: format.path) { [self] emit in
                var export = ActionItemExport(ledger: site.analysis.actionItems, sources: site.actionSources, site: site.history.site)
                export.calendarName = site.history.site.organisation.map { $0 + " action items" } ?? "Action items"
                switch format {
                case .csv: export.writeCSV(emit)
                case .json: export.writeJSON(emit)
                case .ics: export.writeICalendar(emit)
                }
            }
        }
    }
}
