// DrillbookContent: implementation lands with its issue.
