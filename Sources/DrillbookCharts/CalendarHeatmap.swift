import DrillbookModel

/// Activity per day as a grid of weeks (columns, Monday first) × weekdays (rows), like a
/// contribution calendar. Days are day numbers since 1970-01-01 (`CalendarDay.daysSince1970`).
///
/// Levels: 0 for no activity, then 1–4 by `count / maximum` in quarters (rounded up), so the
/// busiest day is level 4. At most 371 days (53 weeks) are drawn, ending at `lastDay`.
///
/// Drawn narrower than its weeks need (`resized(width:…)`), the calendar wraps into bands of
/// consecutive weeks stacked top to bottom, so its labels keep their size on a phone.
public struct CalendarHeatmap: ResizableChart, Hashable {
    public var id: String
    public var title: String
    public var summary: String
    public var firstDay: Int
    public var lastDay: Int
    /// Count per day number; days absent count 0.
    public var counts: [Int: Int]
    /// What is counted, plural, e.g. `runs`.
    public var unit: String
    /// The widest the drawing may be; by default every week on one row.
    public var width: Double
    /// Follows from the width (the number of bands); kept for `ResizableChart`.
    public var height: Double

    /// Largest number of days drawn.
    public static let maximumDays = 371

    public init(id: String? = nil, title: String, summary: String, firstDay: Int, lastDay: Int, counts: [Int: Int], unit: String) {
        self.id = SVGFormat.identifier(id ?? title)
        self.title = title
        self.summary = summary
        // Day numbers are clamped to ±100 million days (far beyond any record) so arithmetic cannot overflow.
        let first = min(max(firstDay, -100_000_000), 100_000_000)
        let lastDay = min(max(lastDay, -100_000_000), 100_000_000)
        let last = max(first, lastDay)
        self.lastDay = last
        self.firstDay = max(min(first, lastDay), last - Self.maximumDays + 1)
        self.counts = counts
        self.unit = unit
        let weeks = Self.weekCount(firstDay: self.firstDay, lastDay: self.lastDay)
        width = max(240, Self.left + Double(weeks) * Self.pitch + 10)
        height = Self.top + 7 * Self.pitch + 34
    }

    static let left = 34.0
    static let top = 26.0
    static var pitch: Double { cell + gap }

    static func weekCount(firstDay: Int, lastDay: Int) -> Int {
        let mondayOfFirst = firstDay - (CalendarDay(daysSince1970: firstDay).weekday - 1)
        return (lastDay - mondayOfFirst) / 7 + 1
    }

    /// The level (0–4) of a count.
    public func level(_ count: Int) -> Int {
        let maximum = (firstDay...lastDay).map { counts[$0] ?? 0 }.max() ?? 0
        guard count > 0, maximum > 0 else { return 0 }
        return min(4, max(1, (count * 4 + maximum - 1) / maximum))
    }

    static let cell = 13.0
    static let gap = 3.0

    public func svg() -> String {
        let mondayOfFirst = firstDay - (CalendarDay(daysSince1970: firstDay).weekday - 1)
        let weeks = (lastDay - mondayOfFirst) / 7 + 1
        let left = Self.left
        let top = Self.top
        let pitch = Self.pitch
        // Weeks per band: as many as the width holds (at least 4), spread evenly over the bands.
        let capacity = max(4, Int(((self.width - left - 10) / pitch).rounded(.down)))
        let bands = max(1, (weeks + capacity - 1) / capacity)
        let bandWeeks = (weeks + bands - 1) / bands
        let bandStride = top + 7 * pitch
        let width = max(240, left + Double(bandWeeks) * pitch + 10)
        let height = Double(bands) * bandStride + 34
        let maximum = (firstDay...lastDay).map { counts[$0] ?? 0 }.max() ?? 0
        func level(_ count: Int) -> Int {
            guard count > 0, maximum > 0 else { return 0 }
            return min(4, max(1, (count * 4 + maximum - 1) / maximum))
        }
        return SVGWriter.document(id: id, title: title, summary: summary, width: width, height: height, className: "calendar-heatmap") { w in
            w.open("g", [("class", "weekdays")])
            for band in 0..<bands {
                for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
                    w.text(name, x: left - 6, y: top + Double(band) * bandStride + Double(row) * pitch + Self.cell - 2, anchor: "end", className: "tick")
                }
            }
            w.close("g")
            w.open("g", [("class", "months")])
            var lastMonth = -1
            var lastLabelX = -100.0
            for week in 0..<weeks {
                let day = max(firstDay, mondayOfFirst + week * 7)
                let date = CalendarDay(daysSince1970: day)
                let x = left + Double(week % bandWeeks) * pitch
                if week % bandWeeks == 0 { lastLabelX = -100 }
                if date.month != lastMonth && x - lastLabelX >= 30 {
                    w.text(date.monthAbbreviation, x: x, y: top + Double(week / bandWeeks) * bandStride - 8, className: "tick")
                    lastLabelX = x
                }
                lastMonth = date.month
            }
            w.close("g")
            w.newline()
            w.open("g", [("class", "days")])
            for day in firstDay...lastDay {
                let offset = day - mondayOfFirst
                let count = counts[day] ?? 0
                let heat = level(count)
                w.rect(
                    x: left + Double((offset / 7) % bandWeeks) * pitch,
                    y: top + Double(offset / 7 / bandWeeks) * bandStride + Double(offset % 7) * pitch, width: Self.cell, height: Self.cell,
                    fill: ChartPalette.heatColor(heat), className: "day heat-" + String(heat),
                    tooltip: CalendarDay(daysSince1970: day).iso8601 + ": " + String(count) + " " + unit)
            }
            w.close("g")
            w.newline()
            w.open("g", [("class", "legend")])
            let legendY = top + Double(bands - 1) * bandStride + 7 * pitch + 14
            let startX = width - 10 - 5 * pitch - 70
            w.text("Less", x: startX - 6, y: legendY + Self.cell - 2, anchor: "end", className: "tick")
            for heat in 0...4 {
                w.rect(x: startX + Double(heat) * pitch, y: legendY, width: Self.cell, height: Self.cell, fill: ChartPalette.heatColor(heat), className: "heat-" + String(heat))
            }
            w.text("More", x: startX + 5 * pitch + 4, y: legendY + Self.cell - 2, className: "tick")
            w.close("g")
            w.newline()
        }
    }

    /// Days with activity only (days not listed had none).
    public func dataTableHTML() -> String {
        let rows = (firstDay...lastDay).compactMap { day -> (header: String, cells: [String])? in
            guard let count = counts[day], count != 0 else { return nil }
            return (CalendarDay(daysSince1970: day).iso8601, [String(count)])
        }
        return DataTable.html(caption: title, columns: ["Date", unit.prefix(1).uppercased() + unit.dropFirst()], rows: rows)
    }
}
