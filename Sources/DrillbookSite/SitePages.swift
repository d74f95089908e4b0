/// Every page and data file of the site, gathered from the page families. Each family is one
/// builder in a file named for it (`RunPages.swift` builds `runs/*.html`); all of them read the
/// same `SiteIndex` and share `PageParts`. `docs/architecture.md` maps every URL to its builder.
struct SitePages: Sendable {
    let site: SiteIndex
    /// The rows and badges every family shares, made once for all of them.
    let parts: PageParts

    init(site: SiteIndex) {
        self.site = site
        parts = PageParts(site: site)
    }

    /// Every page of the site, sorted by path.
    func pages() -> [PageSpec] {
        var specs = HomePagesBuilder(site: site, parts: parts).pages()
            + DrillPagesBuilder(site: site, parts: parts).pages()
            + RunPagesBuilder(site: site, parts: parts).pages()
            + IncidentPagesBuilder(site: site, parts: parts).pages()
            + LessonPagesBuilder(site: site, parts: parts).pages()
            + ActionPagesBuilder(site: site, parts: parts).pages()
            + ReviewPagesBuilder(site: site, parts: parts).pages()
            + SchedulePagesBuilder(site: site, parts: parts).pages()
            + FeedPagesBuilder(site: site, parts: parts).pages()
            + SearchPagesBuilder(site: site, parts: parts).pages()
        // Duplicate record ids map to one path: keep the first so the output stays deterministic.
        // (Families never share a folder, so the order of the families does not matter here.)
        var seen: Set<String> = []
        specs = specs.filter { seen.insert($0.path).inserted }
        if let sitemap = FeedPagesBuilder(site: site, parts: parts).sitemap(listing: specs.map(\.path).filter { $0 != "404.html" }) { specs.append(sitemap) }
        return specs.sorted { $0.path < $1.path }
    }

    /// Every data file of the site (the action exports), sorted by path.
    func generatedFiles() -> [GeneratedFile] {
        (ActionExportFilesBuilder(site: site).files() + SearchPagesBuilder(site: site, parts: parts).files())
            .sorted { $0.path < $1.path }
    }
}
