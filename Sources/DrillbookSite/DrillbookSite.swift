// DrillbookSite: implementation lands with its issue.
