// DrillbookMarkdown: implementation lands with its issue.
