import DrillbookAnalysis
import DrillbookModel
import Synchronization

/// `actions/actions.csv`, `actions/actions.json` and `actions/actions.ics`: data files written as
/// they are, with no template (`ActionItemExport` renders them; `drillbook actions` prints the same data).
struct ActionExportFilesBuilder: Sendable {
    let site: SiteIndex

    /// `actions.csv`, `actions.json` and `actions.ics`: data files, written as they are rather
    /// than through a template. The records are assembled once, when the first of the three is
    /// written (the files are written one after another, and these three sort together), and let
    /// go once the third is written, rather than held for the whole build or made three times
    /// (each record's plain-text title is a Markdown rendering).
    func files() -> [GeneratedFile] {
        let shared = SharedExport(uses: ActionExportFormat.allCases.count) { [site] in
            var export = ActionItemExport(ledger: site.analysis.actionItems, sources: site.actionSources, site: site.history.site)
            export.calendarName = site.history.site.organisation.map { $0 + " action items" } ?? "Action items"
            return export
        }
        return ActionExportFormat.allCases.map { format in
            GeneratedFile(path: format.path) { emit in
                let export = shared.take()
                switch format {
                case .csv: export.writeCSV(emit)
                case .json: export.writeJSON(emit)
                case .ics: export.writeICalendar(emit)
                }
            }
        }
    }
}

/// The export the three files share: made on the first `take`, dropped on the last.
private final class SharedExport: Sendable {
    private let make: @Sendable () -> ActionItemExport
    private let state: Mutex<(export: ActionItemExport?, left: Int)>

    init(uses: Int, make: @escaping @Sendable () -> ActionItemExport) {
        self.make = make
        state = Mutex((nil, uses))
    }

    func take() -> ActionItemExport {
        state.withLock { state in
            let export = state.export ?? make()
            state.left -= 1
            state.export = state.left > 0 ? export : nil
            return export
        }
    }
}
