import DrillbookModel

/// One page to render: where it goes, which template renders it, and how to build its model.
///
/// Models are built inside the render task, so Markdown rendering runs in parallel and a page's
/// model lives only while that page is rendered and written. Each page family lists its pages in
/// its builder's `pages()` (`RunPagesBuilder` in RunPages.swift); `SitePages` gathers them.
struct PageSpec: Sendable {
    /// Relative to the output folder, `/`-separated (`runs/2026-03-02-redis.html`).
    var path: String
    /// Template name without extension (`run`).
    var template: String
    /// Fails only when a run's details can no longer be read back from its file.
    var makeModel: @Sendable () throws(SiteBuildError) -> any Encodable & Sendable
}

/// A file of the site that is data rather than a page (`actions/actions.csv`): written while
/// pages render, piece by piece as `write` hands its text out, with no template (an export of
/// every action item is megabytes; it is never held whole).
struct GeneratedFile: Sendable {
    /// Relative to the output folder, `/`-separated.
    var path: String
    var write: @Sendable (_ emit: (String) -> Void) -> Void
}
