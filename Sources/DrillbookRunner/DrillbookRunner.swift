// DrillbookRunner: implementation lands with its issue.
