// DrillbookCharts: implementation lands with its issue.
