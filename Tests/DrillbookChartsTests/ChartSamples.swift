import DrillbookCharts
import DrillbookModel

/// One chart of each kind over small fixed data, shared by the golden and well-formedness tests.
enum ChartSamples {
    /// One small chart of each kind with `h` as every title, label and unit: for the escaping tests.
    static func everyKind(labelled h: String) -> [any SVGChart] {
        [
            TimeSeriesChart(
                title: h, summary: h, valueTitle: h, unit: h, timeTitle: h,
                series: [.init(label: h, points: [.init(x: 0, y: 1, status: .fail, label: h), .init(x: 86_400, y: 2, status: .pass, label: h)])],
                target: TargetLine(value: 1.5, label: h)),
            BarChart(title: h, summary: h, categories: [h, h], series: [.init(label: h, values: [1, -2])], stacked: true, valueTitle: h, unit: h, categoryTitle: h, target: TargetLine(value: 1, label: h)),
            BurnDownChart(title: h, summary: h, points: [.init(label: h, value: 1)], valueTitle: h, unit: h, categoryTitle: h),
            CalendarHeatmap(title: h, summary: h, firstDay: 0, lastDay: 10, counts: [3: 2], unit: h),
            Sparkline(title: h, summary: h, points: [.init(label: h, value: 1, status: .fail)], unit: h, target: 2),
        ]
    }

    static func seconds(_ y: Int, _ m: Int, _ d: Int, hour: Int = 10) -> Double {
        Double(CalendarDay(year: y, month: m, day: d)!.daysSince1970) * 86_400 + Double(hour) * 3600
    }

    static let recovery = TimeSeriesChart(
        id: "redis-recovery", title: "Redis failover: recovery time per run",
        summary: "Recovery time of each run against the 30 second target; 4 of 6 runs met it.",
        valueTitle: "Recovery time (s)", unit: "s", timeTitle: "Run date (UTC)",
        series: [
            .init(
                label: "Failover time",
                points: [
                    .init(x: seconds(2025, 10, 6), y: 41.5, status: .fail, label: "2025-10-06"),
                    .init(x: seconds(2025, 11, 3), y: 28.2, status: .pass, label: "2025-11-03"),
                    .init(x: seconds(2025, 12, 1), y: nil, status: .neutral, label: "2025-12-01 (not measured)"),
                    .init(x: seconds(2026, 1, 5), y: 24, status: .pass, label: "2026-01-05"),
                    .init(x: seconds(2026, 2, 2), y: 33.75, status: .fail, label: "2026-02-02"),
                    .init(x: seconds(2026, 3, 2), y: 19.4, status: .pass, label: "2026-03-02"),
                    .init(x: seconds(2026, 3, 30), y: 17.1, status: .pass, label: "2026-03-30"),
                ])
        ],
        target: TargetLine(value: 30, label: "Target ≤ 30 s"))

    static let scatter = TimeSeriesChart(
        id: "detection", title: "Detection time", summary: "Detection time of all drills.", valueTitle: "Detection (s)", unit: "s",
        series: [
            .init(label: "Redis", points: [.init(x: seconds(2026, 1, 5), y: 50, label: "a"), .init(x: seconds(2026, 2, 5), y: 70, label: "b")], style: .scatter),
            .init(label: "Database", points: [.init(x: seconds(2026, 1, 20), y: 120, label: "c")], style: .scatter),
        ])

    static let outcomes = BarChart(
        id: "outcomes", title: "Drill outcomes per quarter", summary: "Passed, failed and aborted runs per quarter.",
        categories: ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"],
        series: [
            .init(label: "Passed", values: [5, 7, 6, 9]),
            .init(label: "Failed", values: [3, 2, 3, 1]),
            .init(label: "Aborted", values: [1, nil, 0, 1]),
        ],
        stacked: true, valueTitle: "Runs (count)", unit: "runs", categoryTitle: "Quarter")

    static let grouped = BarChart(
        id: "pass-rate", title: "Pass rate per month", summary: "Share of runs that passed.",
        categories: ["2026-01", "2026-02", "2026-03"],
        series: [.init(label: "Pass rate", values: [50, 75, nil]), .init(label: "Criteria met", values: [60, 80, 90])],
        valueTitle: "Share (%)", unit: "%", categoryTitle: "Month", target: TargetLine(value: 80, label: "Goal 80 %"))

    static let burnDown = BurnDownChart(
        id: "actions-open", title: "Open action items at month end", summary: "Open items fell from 9 in October to 3 in March.",
        points: [
            .init(label: "2025-10", value: 9), .init(label: "2025-11", value: 11), .init(label: "2025-12", value: 8),
            .init(label: "2026-01", value: 6), .init(label: "2026-02", value: 5), .init(label: "2026-03", value: 3),
        ],
        valueTitle: "Open items (count)", unit: "items", categoryTitle: "Month end")

    static let heatmap: CalendarHeatmap = {
        let first = CalendarDay(year: 2026, month: 1, day: 1)!.daysSince1970
        var counts: [Int: Int] = [:]
        for offset in stride(from: 0, to: 90, by: 1) where offset % 7 == 4 || offset % 11 == 0 {
            counts[first + offset] = 1 + offset % 3
        }
        return CalendarHeatmap(
            id: "activity", title: "Drill activity, Q1 2026", summary: "Runs per day from January to March 2026.",
            firstDay: first, lastDay: first + 89, counts: counts, unit: "runs")
    }()

    static let sparkline = Sparkline(
        id: "spark-redis", title: "Redis recovery trend", summary: "Last six recovery times; latest 17.1 s.",
        points: [
            .init(label: "Oct", value: 41.5), .init(label: "Nov", value: 28.2), .init(label: "Dec", value: nil),
            .init(label: "Jan", value: 24), .init(label: "Feb", value: 33.75), .init(label: "Mar", value: 17.1, status: .pass),
        ],
        unit: "s", target: 30)

    static let all: [(name: String, chart: any SVGChart)] = [
        ("time-series-line", recovery), ("time-series-scatter", scatter), ("bar-stacked", outcomes),
        ("bar-grouped", grouped), ("burn-down", burnDown), ("calendar-heatmap", heatmap), ("sparkline", sparkline),
    ]
}
