import DrillbookAnalysis
import DrillbookMarkdown
import DrillbookModel
import DrillbookText

/// `search.html`, `404.html` and `search-index.js`: the site's search, which works offline (the
/// index is a script file, so it loads from `file://` too) and only as an enhancement: without
/// script the search page says so and links the indexes, and every other page is complete.
///
/// The index is small on purpose: per record its title, id, date, kind and a few words, never
/// its text. Runs name their drill by position in the drill list rather than by title. The
/// format (`window.drillbookSearchIndex = {…};`, the object valid JSON):
///
/// ```text
/// {"v":1,
///  "drills":[[title, slug, category]],
///  "runs":[[drill position or -1, slug, day, outcome, environment]],
///  "incidents":[[id, slug or 0, severity, type, day]],
///  "actions":[[id, slug or 0, plain title, owner, status]],
///  "reviews":[[quarter id, title]]}
/// ```
///
/// An incident's or action item's slug is `0` when it is the id in lower case (the usual case),
/// which keeps ten thousand action items about 200 KB smaller.
struct SearchPagesBuilder: Sendable {
    let site: SiteIndex
    let parts: PageParts

    static let indexPath = "search-index.js"

    func pages() -> [PageSpec] {
        [
            PageSpec(path: "search.html", template: "search") { [self] in searchPage() },
            PageSpec(path: "404.html", template: "not-found") { [self] in notFoundPage() },
        ]
    }

    func files() -> [GeneratedFile] {
        [GeneratedFile(path: Self.indexPath) { [self] emit in writeIndex(emit) }]
    }

    func searchPage() -> SearchPage {
        let root = ""
        return SearchPage(
            chrome: parts.chrome(
                title: "Search", root: root, section: nil,
                description: "Search the drills, runs, incidents, action items and reviews by title, id or date."),
            indexHref: root + Self.indexPath, browse: browseLinks(root: root))
    }

    /// The 404 page links from the site's root: its base URL when configured (the page is served
    /// for a missing address at any depth), else relative to the top folder.
    func notFoundPage() -> NotFoundPage {
        let root = site.baseURL ?? ""
        return NotFoundPage(
            chrome: parts.chrome(title: "Page not found", root: root, section: nil, description: "This page does not exist."),
            browse: browseLinks(root: root))
    }

    func browseLinks(root: String) -> [NavLink] {
        SiteSection.allCases.map { NavLink(href: root + $0.path, label: $0.label, current: false) }
    }

    /// The index, a record at a time.
    func writeIndex(_ emit: (String) -> Void) {
        func quoted(_ text: String) -> String {
            // JSON text; `<` as `\u003c` too, so the index could also be inlined in a page.
            var json = JSONText.quoted(text)
            if json.contains("<") { json = json.split(separator: "<", omittingEmptySubsequences: false).joined(separator: "\\u003c") }
            return json
        }
        func row(_ cells: [String]) -> String { "[" + cells.joined(separator: ",") + "]" }
        func slugCell(_ slug: String, of id: String) -> String { slug == id.lowercased() ? "0" : quoted(slug) }
        func list(_ name: String, first: Bool = false, _ rows: () -> [String]) {
            emit((first ? "" : ",\n") + quoted(name) + ":[")
            var separator = ""
            for line in rows() {
                emit(separator + line)
                separator = ",\n"
            }
            emit("]")
        }
        emit("window.drillbookSearchIndex = {\"v\":1,\n")
        var drillPosition: [String: Int] = [:]
        list("drills", first: true) {
            site.history.drills.enumerated().compactMap { position, drill in
                guard let slug = site.drillSlugs[drill.id], drillPosition[drill.id] == nil else { return nil }
                drillPosition[drill.id] = drillPosition.count
                return row([quoted(plain(drill.title)), quoted(slug), quoted(drill.category.rawValue)])
            }
        }
        list("runs") {
            site.history.runs.reversed().compactMap { run in
                guard let slug = site.runSlugs[run.id] else { return nil }
                return row([
                    String(drillPosition[run.drillId] ?? -1), quoted(slug), quoted(run.startedAt.localDay.iso8601),
                    quoted(run.outcome.rawValue), quoted(run.environment + (run.isLocalRealisation ? " local" : "")),
                ])
            }
        }
        list("incidents") {
            site.history.incidents.reversed().compactMap { incident in
                guard let slug = site.incidentSlugs[incident.id] else { return nil }
                return row([
                    quoted(incident.id), slugCell(slug, of: incident.id), quoted(incident.severity.rawValue), quoted(plain(incident.type)),
                    quoted(incident.declaredAt.localDay.iso8601),
                ])
            }
        }
        list("actions") {
            var seen: Set<String> = []
            return site.actionItems.compactMap { item in
                guard let slug = site.actionSlugs[item.id], seen.insert(item.id).inserted else { return nil }
                return row([
                    quoted(item.id), slugCell(slug, of: item.id), quoted(plain(item.title)), quoted(item.owner), quoted(item.status.rawValue),
                ])
            }
        }
        list("reviews") {
            site.analysis.reviews.reversed().map { row([quoted($0.quarter.id), quoted($0.quarter.title)]) }
        }
        emit("};\n")
    }

    /// One line of plain text from Markdown, at most 120 characters.
    func plain(_ markdown: String) -> String {
        SiteText.plainLine(site.markdown.plainText(from: markdown), limit: 120)
    }
}
