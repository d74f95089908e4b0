// DrillbookAnalysis: implementation lands with its issue.
