import DrillbookAnalysis
import DrillbookMarkdown
import DrillbookModel
import DrillbookText

/// `search.html`, `404.html`, `search-index.js` and its parts `search-index/*.js`: the site's
/// search, which works offline (the index is script files, so it loads from `file://` too) and
/// only as an enhancement: without script the search page says so and links the indexes, and
/// every other page is complete.
///
/// The index is small on purpose: per record its title, id, date, kind and a few words, never
/// its text. Runs name their drill by position in the drill list rather than by title. It is
/// sharded so that no file grows with the history (issue 14: no file a page loads over 2 MB at
/// 100,000 runs): `search-index.js` holds the drills, the reviews and the list of parts; each
/// part holds at most `partRows` runs, incidents or action items, newest first. The search page
/// loads the parts one after another once a query is typed and searches every one of them, so
/// search stays exact. The formats (each object valid JSON):
///
/// ```text
/// search-index.js:
/// window.drillbookSearchIndex = {"v":2,
///  "drills":[[title, slug, category]],
///  "reviews":[[quarter id, title]],
///  "parts":[[path, "runs" | "incidents" | "actions", rows]]};
///
/// search-index/runs-1.js (and incidents-N.js, actions-N.js):
/// (window.drillbookSearchParts = window.drillbookSearchParts || {})["search-index/runs-1.js"] = {
///  "runs":[[drill position or -1, slug, day, outcome, environment]]};
///  "incidents":[[id, slug or 0, severity, type, day]]
///  "actions":[[id, slug or 0, plain title, owner, status]]
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

    /// Rows per part file: 4,000 rows are about 350 KB of runs and 650 KB of action items (titles
    /// are cut at 120 characters), well under 2 MB however long the history grows. Tests make it
    /// small to get many parts from a small history.
    @TaskLocal static var partRows = 4_000

    /// `search-index.js` and its parts. Which records go in which part is decided here (cheap:
    /// no text is made); each part's rows are made when the part is written.
    func files() -> [GeneratedFile] {
        let size = max(1, Self.partRows)
        var drillPosition: [String: Int] = [:]
        var drills: [DrillDefinition] = []
        for drill in site.history.drills where site.drillSlugs[drill.id] != nil && drillPosition[drill.id] == nil {
            drillPosition[drill.id] = drillPosition.count
            drills.append(drill)
        }
        let runs = site.history.runs.reversed().filter { site.runSlugs[$0.id] != nil }
        let incidents = site.history.incidents.reversed().filter { site.incidentSlugs[$0.id] != nil }
        var seen: Set<String> = []
        let actions = site.actionItems.filter { site.actionSlugs[$0.id] != nil && seen.insert($0.id).inserted }

        var parts: [(path: String, kind: String, rows: Int)] = []
        var files: [GeneratedFile] = []
        func shard<Record: Sendable>(
            _ kind: String, _ records: [Record], _ row: @escaping @Sendable (SearchPagesBuilder, Record, inout ExportBytes) -> Void
        ) {
            for (number, first) in stride(from: 0, to: records.count, by: size).enumerated() {
                let path = Self.partFolder + kind + "-" + String(number + 1) + ".js"
                let slice = Array(records[first..<min(first + size, records.count)])
                parts.append((path, kind, slice.count))
                files.append(GeneratedFile(path: path) { [self] emit in
                    // One byte buffer for the part, rows written straight into it.
                    var out = ExportBytes()
                    out.append("(window.drillbookSearchParts = window.drillbookSearchParts || {})[" as StaticString)
                    Self.appendQuoted(path, to: &out)
                    out.append("] = {" as StaticString)
                    Self.appendQuoted(kind, to: &out)
                    out.append(":[" as StaticString)
                    for (index, record) in slice.enumerated() {
                        if index > 0 { out.append(",\n" as StaticString) }
                        row(self, record, &out)
                        out.flush(emit)
                    }
                    out.append("]};\n" as StaticString)
                    out.flush(emit, final: true)
                })
            }
        }
        let positions = drillPosition
        shard("runs", runs) { builder, run, out in builder.appendRunRow(run, drillPosition: positions, to: &out) }
        shard("incidents", incidents) { builder, incident, out in builder.appendIncidentRow(incident, to: &out) }
        shard("actions", actions) { builder, item, out in builder.appendActionRow(item, to: &out) }
        let manifest = parts
        let listed = drills
        files.append(GeneratedFile(path: Self.indexPath) { [self] emit in
            writeManifest(drills: listed, parts: manifest, emit)
        })
        return files
    }

    static let partFolder = "search-index/"

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

    /// `search-index.js`: the drills and reviews, and the list of parts.
    func writeManifest(drills: [DrillDefinition], parts: [(path: String, kind: String, rows: Int)], _ emit: (String) -> Void) {
        emit("window.drillbookSearchIndex = {\"v\":2,\n")
        Self.list("drills", first: true, emit) {
            drills.map { drill in
                Self.row([Self.quoted(plain(drill.title)), Self.quoted(site.drillSlugs[drill.id] ?? ""), Self.quoted(drill.category.rawValue)])
            }
        }
        Self.list("reviews", emit) {
            site.analysis.reviews.reversed().map { Self.row([Self.quoted($0.quarter.id), Self.quoted($0.quarter.title)]) }
        }
        Self.list("parts", emit) { parts.map { Self.row([Self.quoted($0.path), Self.quoted($0.kind), String($0.rows)]) } }
        emit("};\n")
    }

    func appendRunRow(_ run: RunOverview, drillPosition: [String: Int], to out: inout ExportBytes) {
        out.append(byte: UInt8(ascii: "["))
        out.append(drillPosition[run.drillId] ?? -1)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(site.runSlugs[run.id] ?? "", to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(run.startedAt.localDay.iso8601, to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(run.outcome.rawValue, to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(run.isLocalRealisation ? run.environment + " local" : run.environment, to: &out)
        out.append(byte: UInt8(ascii: "]"))
    }

    func appendIncidentRow(_ incident: Incident, to out: inout ExportBytes) {
        out.append(byte: UInt8(ascii: "["))
        Self.appendQuoted(incident.id, to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendSlugCell(site.incidentSlugs[incident.id] ?? "", of: incident.id, to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(incident.severity.rawValue, to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(plain(incident.type), to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(incident.declaredAt.localDay.iso8601, to: &out)
        out.append(byte: UInt8(ascii: "]"))
    }

    func appendActionRow(_ item: TrackedActionItem, to out: inout ExportBytes) {
        out.append(byte: UInt8(ascii: "["))
        Self.appendQuoted(item.id, to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendSlugCell(site.actionSlugs[item.id] ?? "", of: item.id, to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(plain(item.title), to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(item.owner, to: &out)
        out.append(byte: UInt8(ascii: ","))
        Self.appendQuoted(item.status.rawValue, to: &out)
        out.append(byte: UInt8(ascii: "]"))
    }

    /// JSON text; `<` as `\u003c` too, so the index could also be inlined in a page.
    static func quoted(_ text: String) -> String { JSONText.quoted(text, options: .escapingLessThan) }

    static func appendQuoted(_ text: String, to out: inout ExportBytes) {
        JSONText.appendQuoted(text, to: &out.bytes, options: .escapingLessThan)
    }

    /// `0` when the slug is the id in lower case (the usual case), else the slug.
    static func appendSlugCell(_ slug: String, of id: String, to out: inout ExportBytes) {
        if isLowercased(slug, of: id) { out.append(byte: UInt8(ascii: "0")) } else { appendQuoted(slug, to: &out) }
    }

    /// `slug == id.lowercased()`, without making the lower-case string when both are ASCII.
    static func isLowercased(_ slug: String, of id: String) -> Bool {
        var slug = slug
        var id = id
        let ascii: Bool? = slug.withUTF8 { s in
            id.withUTF8 { i -> Bool? in
                guard s.count == i.count else { return i.allSatisfy({ $0 < 0x80 }) ? false : nil }
                for index in 0..<i.count {
                    let byte = i[index]
                    guard byte < 0x80 else { return nil }
                    let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
                    if s[index] != lower { return false }
                }
                return true
            }
        }
        return ascii ?? (slug == id.lowercased())
    }

    static func row(_ cells: [String]) -> String { "[" + cells.joined(separator: ",") + "]" }

    /// `"name":[row,\nrow]`, a row at a time.
    static func list(_ name: String, first: Bool = false, _ emit: (String) -> Void, _ rows: () -> [String]) {
        emit((first ? "" : ",\n") + quoted(name) + ":[")
        var separator = ""
        for line in rows() {
            emit(separator + line)
            separator = ",\n"
        }
        emit("]")
    }

    /// One line of plain text from Markdown, at most 120 characters.
    func plain(_ markdown: String) -> String {
        SiteText.plainLine(site.markdown.plainText(from: markdown), limit: 120)
    }
}
