import DrillbookModel

/// Runs ordered by their local day once, so that the many per-period figures (one per month and
/// quarter) each look at the runs of their period instead of scanning the whole history.
///
/// `runs(from:through:)` returns exactly what `runs.filter { day in first...last }` returns, in the
/// same order.
struct RunsByDay: Sendable {
    let runs: [RunOverview]
    /// Positions in `runs`, ordered by local day (ties by position).
    private let order: [Int]
    /// `days[i]` is the local day number of `runs[order[i]]`.
    private let days: [Int]

    init(_ runs: [RunOverview]) {
        self.runs = runs
        let dayNumbers = runs.map(\.startedAt.localDay.daysSince1970)
        order = runs.indices.sorted { (dayNumbers[$0], $0) < (dayNumbers[$1], $1) }
        days = order.map { dayNumbers[$0] }
    }

    /// The runs whose local day is within `first...last`, in history order.
    func runs(from first: CalendarDay, through last: CalendarDay) -> [RunOverview] {
        let low = lowerBound(first.daysSince1970)
        let high = lowerBound(last.daysSince1970 + 1)
        guard low < high else { return [] }
        return order[low..<high].sorted().map { runs[$0] }
    }

    private func lowerBound(_ day: Int) -> Int {
        var low = 0
        var high = days.count
        while low < high {
            let middle = (low + high) / 2
            if days[middle] < day { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
