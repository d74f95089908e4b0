import DrillbookMarkdown
import DrillbookModel

/// `feed.xml` (an Atom feed of the newest runs and incidents) and, with a base URL, `sitemap.xml`.
struct FeedPagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    func pages() -> [PageSpec] {
        [PageSpec(path: "feed.xml", template: "feed") { [self] () throws(SiteBuildError) in try feedPage() }]
    }

    /// `sitemap.xml`, listing the HTML pages among `paths`; nil without a base URL (a sitemap needs absolute addresses).
    func sitemap(listing paths: [String]) -> PageSpec? {
        guard site.baseURL != nil else { return nil }
        return PageSpec(path: "sitemap.xml", template: "sitemap") { [self] in sitemapPage(paths: paths) }
    }

    /// Entries in the Atom feed.
    static let feedEntryLimit = 50

    /// `feed.xml`: the newest runs and incidents (up to `asOf`), newest first.
    ///
    /// - Entry ids are stable URNs (`urn:drillbook:run:<id>`, `urn:drillbook:incident:<id>`, the id
    ///   percent-encoded), so a feed reader never sees an entry twice.
    /// - `updated` comes from the records (a run's end, an incident's latest instant), never from the
    ///   build time, so the same content gives the same feed.
    /// - Links are relative to the site root. Atom wants absolute IRIs: with a base URL
    ///   (`drillbook build --base-url`) the feed carries `xml:base`, which makes them absolute;
    ///   without one they resolve against the feed's own address, which also works in readers.
    func feedPage() throws(SiteBuildError) -> FeedPage {
        // Every record is ranked by its latest instant first; only the newest ones are made into
        // entries (a history of 10,000 runs made 10,000 summaries to keep fifty).
        enum Source { case run(Int), incident(Int) }
        var candidates: [(instant: Timestamp, id: String, source: Source)] = []
        for (index, run) in site.history.runs.enumerated() where run.startedAt.localDay <= site.asOf {
            candidates.append((max(run.endedAt, run.startedAt), "urn:drillbook:run:" + Self.urnPart(run.id), .run(index)))
        }
        for (index, incident) in site.history.incidents.enumerated() where incident.declaredAt.localDay <= site.asOf {
            let latest = ([incident.declaredAt] + incident.updates.map(\.at) + [incident.resolvedAt].compactMap { $0 }).max()!
            candidates.append((latest, "urn:drillbook:incident:" + Self.urnPart(incident.id), .incident(index)))
        }
        candidates.sort { ($1.instant, $0.id) < ($0.instant, $1.id) }
        let newest = candidates.prefix(Self.feedEntryLimit)
        return FeedPage(
            title: (site.history.site.organisation.map { $0 + " " } ?? "") + site.siteTitle + ": drill runs and incidents",
            id: "urn:drillbook:feed", author: site.history.site.organisation ?? "drillbook",
            updated: newest.first?.instant.iso8601 ?? site.asOf.startUTC.iso8601, baseURL: site.baseURL,
            entries: try newest.map { candidate throws(SiteBuildError) in
                switch candidate.source {
                case .run(let index): feedEntry(try site.withDetails(site.history.runs[index]), id: candidate.id, updated: candidate.instant)
                case .incident(let index): feedEntry(site.history.incidents[index], id: candidate.id, updated: candidate.instant)
                }
            })
    }

    private func feedEntry(_ run: DrillRun, id: String, updated: Timestamp) -> FeedEntry {
        // Atom titles and summaries are plain text: any Markdown in a title is reduced to its words.
        let drill = plainLine(site.drillsById[run.drillId]?.title ?? run.drillId)
        let met = run.criteria.filter { $0.verdict == .met }.count
        var summary = drill + " " + run.outcome.title.lowercased() + " in " + run.environment + " on "
            + run.startedAt.localDay.iso8601 + ", " + MetricFormat.duration(seconds: max(0, run.durationSeconds))
        if !run.criteria.isEmpty { summary += "; " + String(met) + " of " + String(run.criteria.count) + " criteria met" }
        summary += "."
        if let text = run.summary.map(feedSummaryText), !text.isEmpty { summary += " " + text }
        return FeedEntry(
            id: id, title: drill + ": " + run.outcome.title.lowercased() + " (" + run.startedAt.localDay.iso8601 + ")",
            updated: updated.iso8601, published: run.startedAt.iso8601,
            href: site.runHref(run.id, root: "") ?? "", summary: summary, category: "drill-run")
    }

    private func feedEntry(_ incident: Incident, id: String, updated: Timestamp) -> FeedEntry {
        let state = incident.isResolved ? "resolved" : "open"
        return FeedEntry(
            id: id, title: incident.id + " (" + incident.severity.rawValue + ", " + state + "): " + plainLine(incident.type),
            updated: updated.iso8601, published: incident.declaredAt.iso8601,
            href: site.incidentHref(incident.id, root: "") ?? "",
            summary: feedSummaryText(incident.description), category: "incident")
    }

    /// One line of Markdown as plain text, for an entry's title.
    func plainLine(_ markdown: String) -> String {
        SiteText.plainLine(site.markdown.plainText(from: markdown), limit: 300)
    }

    /// Unicode scalars of a record's Markdown that a feed summary reads at most.
    static let feedSummaryScalarLimit = 4_000

    /// A Markdown text as an Atom summary, which is plain text: formatting removed
    /// (`MarkdownRenderer.plainText(from:)`), only the first `feedSummaryScalarLimit` scalars read
    /// (then ` …` marks the cut), so a huge summary neither bloats the feed nor costs cmark time here.
    /// Characters XML forbids are replaced when the template escapes the text.
    func feedSummaryText(_ markdown: String) -> String {
        let scalars = markdown.unicodeScalars
        let isCut = scalars.count > Self.feedSummaryScalarLimit
        let read = isCut ? String(String.UnicodeScalarView(scalars.prefix(Self.feedSummaryScalarLimit))) : markdown
        let text = site.markdown.plainText(from: read)
        return isCut ? (text.isEmpty ? "…" : text + " …") : text
    }

    func sitemapPage(paths: [String]) -> SitemapPage {
        let base = site.baseURL ?? ""
        return SitemapPage(urls: paths.filter { $0.hasSuffix(".html") }.sorted().map { SitemapURL(loc: base + $0) })
    }

    /// Keeps letters, digits and `-._~`; percent-encodes every other UTF-8 byte.
    static func urnPart(_ id: String) -> String {
        var result = ""
        for byte in id.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || scalar == "-" || scalar == "." || scalar == "_" || scalar == "~"
            {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }
}
