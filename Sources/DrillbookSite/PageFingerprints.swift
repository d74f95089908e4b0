import DrillbookContent
import DrillbookAnalysis
import DrillbookModel
import Synchronization

/// Which pages a build may take from the previous output instead of rendering them (the build
/// cache, `BuildCache` in DrillbookOutput): the fingerprint of each record page's inputs, and the
/// fingerprints the output folder's pages were built from.
///
/// A record page (`runs/<slug>.html`, `incidents/<slug>.html`, `actions/<slug>.html`) is a pure
/// function of the files it shows and of what every page shares. Its fingerprint digests:
/// - what every record page shares (`shared`): the tool, the `asOf` day, the base URL, the
///   theme's templates, and every content file outside `runs/`, `incidents/` and `actions/`
///   (the drills, `site.yaml`, `schedule.yaml`), by path and content digest;
/// - the page's path and the content digest of its own record's file;
/// - the files of the records it shows: a run's incidents (those naming it) and the update files
///   of its action items; an incident's run link and its items' update files; an item's source
///   record and update file, and what it shows of the action views (the view counts, the pages
///   that list it, its owner's and priority's sections).
/// Every other page and data file (indexes, drills, lessons, reviews, schedule, exports, search
/// index) but the feed gets the fingerprint of every file's overview (`sitePages`): a run edited in
/// its details alone leaves them as they were. The feed is rendered on every build. A page is taken from the previous output only when its fingerprint is the one the
/// output folder's file was built from, and the output folder is as that build left it.
public final class PageReuse: Sendable {
    /// The content digest of every file the load listed, by path relative to the content folder.
    let digests: [String: UInt64]
    /// What pages other than a record's own read of each file (`RecordCache.overviews`), by the same paths.
    let overviews: [String: UInt64]
    /// The tool that builds (path and stamp): another build of drillbook may write other bytes.
    let tool: String
    /// The fingerprints the previous output's pages were built from (empty: render every page).
    let previous: [String: UInt64]
    private let state = Mutex<(made: [String: UInt64], reused: Int, overviewSum: UInt64?)>(([:], 0, nil))

    /// The site index of the last build that used the same holder (`drillbook serve`), by `siteKey`.
    let lastSite: LastSiteIndex?

    public convenience init(digests: [String: UInt64], overviews: [String: UInt64]? = nil, tool: String, previous: [String: UInt64]) {
        self.init(digests: digests, overviews: overviews, tool: tool, previous: previous, lastSite: nil)
    }

    init(digests: [String: UInt64], overviews: [String: UInt64]?, tool: String, previous: [String: UInt64], lastSite: LastSiteIndex?) {
        self.lastSite = lastSite
        self.digests = digests
        self.overviews = overviews ?? digests
        self.tool = tool
        self.previous = previous
    }

    /// The fingerprint of every record page of the build that used this, by path.
    public var fingerprints: [String: UInt64] { state.withLock { $0.made } }
    /// How many pages that build took from the previous output.
    public var reusedPages: Int { state.withLock { $0.reused } }

    func record(_ fingerprints: [String: UInt64]) { state.withLock { $0.made = fingerprints } }
    func countReused() { state.withLock { $0.reused += 1 } }

    /// What the site index is made from: the tool, the options as given, the theme's templates and
    /// every file's overview. A build whose key is the last one's (kept in `lastSite`) takes that
    /// build's index (`SiteIndex(reusing:history:)`) instead of working it out again.
    func siteKey(asOf: CalendarDay, baseURL: String?, themeDigest: UInt64) -> UInt64 {
        var digest = ContentDigest(seed: 0x5349_5445_4B45_59)
        digest.add("drillbook site index 1")
        digest.add(tool)
        digest.add(asOf.iso8601)
        digest.add(baseURL ?? "\u{0}none")
        digest.add(themeDigest)
        return sitePages(base: digest.value)
    }

    /// The fingerprints of every record page of `site`, by path (pages whose inputs cannot all be
    /// named get none, and are rendered), and of every other page and data file among `others`
    /// but the feed (`sitePages`).
    /// `siteKey`, when given, is the key `site` was made or taken for (`lastSite` keeps what the
    /// item pages show of the action views under it).
    func fingerprints(
        of site: SiteIndex, parts: PageParts, themeDigest: UInt64, others: [String] = [], siteKey: UInt64? = nil
    ) -> [String: UInt64] {
        var shared = ContentDigest(seed: 0x5348_4152_4544)
        shared.add("drillbook page fingerprint 1")
        shared.add(tool)
        shared.add(site.asOf.iso8601)
        shared.add(site.baseURL ?? "\u{0}none")
        shared.add(themeDigest)
        // The few files outside the record folders, sorted (not the ten thousand records first).
        for (path, digest) in digests.filter({ !$0.key.hasPrefix("runs/") && !$0.key.hasPrefix("incidents/") && !$0.key.hasPrefix("actions/") })
            .sorted(by: { $0.key < $1.key })
        {
            shared.add(path)
            shared.add(digest)
        }
        let base = shared.value
        let history = site.history
        func file(_ id: String) -> UInt64? { history.sourcePaths[id].flatMap { digests[$0] } }
        func start(_ kind: String, _ path: String) -> ContentDigest {
            var digest = ContentDigest(seed: base)
            digest.add(kind)
            digest.add(path)
            return digest
        }
        /// An item's update file, or a mark that it has none.
        func updates(_ id: String, into digest: inout ContentDigest) {
            digest.add(id)
            if let path = history.sourcePaths[id], path.hasPrefix("actions/"), let updates = digests[path] {
                digest.add(path)
                digest.add(updates)
            } else {
                digest.add("\u{0}no updates")
            }
        }
        var made: [String: UInt64] = [:]
        made.reserveCapacity(history.runs.count + history.incidents.count + site.analysis.actionItems.items.count + others.count)
        // Every record page's path, fingerprinted or not: none of them gets the site's fingerprint below.
        var recordPages: Set<String> = []
        recordPages.reserveCapacity(made.capacity)

        for run in history.runs {
            guard let slug = site.runSlugs[run.id] else { continue }
            let path = "runs/" + slug + ".html"
            recordPages.insert(path)
            guard let own = file(run.id) else { continue }
            var digest = start("run", path)
            digest.add(own)
            for incident in site.lookups.incidentsByRun[run.id] ?? [] {
                guard let linked = file(incident.id) else { digest.add("\u{0}unknown"); continue }
                digest.add(incident.id)
                digest.add(linked)
            }
            digest.add("items")
            // By position: the items' ids alone, not a copy of every tracked item.
            for position in site.lookups.actionItemsBySource[run.id] ?? [] { updates(site.actionItems[position].id, into: &digest) }
            made[path] = digest.value
        }
        for incident in history.incidents {
            guard let slug = site.incidentSlugs[incident.id] else { continue }
            let path = "incidents/" + slug + ".html"
            recordPages.insert(path)
            guard let own = file(incident.id) else { continue }
            var digest = start("incident", path)
            digest.add(own)
            digest.add(incident.drillRunId.flatMap { site.runHref($0, root: "") } ?? "\u{0}no run")
            for position in site.lookups.actionItemsBySource[incident.id] ?? [] { updates(site.actionItems[position].id, into: &digest) }
            made[path] = digest.value
        }
        // What each item page shows of the action views (by the item's place in the analysis), worked
        // out as `ActionPagesBuilder.pages` does; the same for a build that takes the last site index.
        let items = site.analysis.actionItems.items
        let shownParts: [UInt64]
        if let siteKey, let kept = lastSite?.actionParts(for: siteKey), kept.count == items.count {
            shownParts = kept
        } else {
            let builder = ActionPagesBuilder(site: site, parts: parts)
            let anchors = builder.ownerAnchors()
            let plans = builder.actionViewPlans(ownerAnchors: anchors)
            let shown = ActionPageShared(
                counts: builder.actionViewCounts(), ownerAnchors: anchors, plans: plans, listPages: builder.actionListPages(plans),
                stats: [])
            var views = ContentDigest(seed: base)
            for view in ActionView.allCases {
                views.add(view.rawValue)
                views.add(UInt64(bitPattern: Int64(shown.counts[view] ?? -1)))
            }
            let viewsDigest = views.value
            shownParts = items.map { item in
                var digest = ContentDigest(seed: viewsDigest)
                let anchor = anchors[item.owner] ?? ""
                digest.add(anchor)
                digest.add(shown.sectionPath(.owners, anchor))
                digest.add(shown.sectionPath(.priorities, "priority-" + item.priority.rawValue))
                digest.add(shown.listPages[item.id] ?? "\u{0}not listed")
                return digest.value
            }
            if let siteKey { lastSite?.keepActionParts(shownParts, for: siteKey) }
        }
        for index in items.indices {
            let id = items[index].id
            let sourceId = items[index].source.id
            guard let slug = site.actionSlugs[id] else { continue }
            let path = "actions/" + slug + ".html"
            recordPages.insert(path)
            guard let source = file(sourceId) else { continue }
            var digest = start("action item", path)
            digest.add(shownParts[index])
            digest.add(sourceId)
            digest.add(source)
            updates(id, into: &digest)
            made[path] = digest.value
        }
        if !others.isEmpty {
            let whole = sitePages(base: base)
            for path in others where !recordPages.contains(path) && path != "feed.xml" {
                var digest = ContentDigest(seed: whole)
                digest.add(path)
                made[path] = digest.value
            }
        }
        return made
    }

    /// What every page but the record pages and the feed is made from: what every page shares
    /// (`base`) and the overview of every file (`overviews`). Those pages read runs through
    /// `RunOverview` alone (the history holds overviews; a run's details are reached only through
    /// `SiteIndex.withDetails`, by the run's own page and the feed), so a run edited in its
    /// details leaves all of them as they were. The feed shows run summaries and is always rendered.
    /// The overviews go in as the wrapping sum of one digest per file (its path and overview), so
    /// no build sorts ten thousand paths for it; worked out once per build.
    private func sitePages(base: UInt64) -> UInt64 {
        var digest = ContentDigest(seed: base)
        digest.add("site pages 2")
        digest.add(UInt64(overviews.count))
        digest.add(overviewSum)
        return digest.value
    }

    private var overviewSum: UInt64 {
        if let known = state.withLock({ $0.overviewSum }) { return known }
        var sum: UInt64 = 0
        for (path, overview) in overviews {
            var entry = ContentDigest(seed: 0x4F56_4552_5649_4557)
            entry.add(path)
            entry.add(overview)
            sum &+= entry.value
        }
        state.withLock { $0.overviewSum = sum }
        return sum
    }
}

/// The site index of the last build (`drillbook serve` keeps one for its session), by the key of
/// what it was made from (`PageReuse.siteKey`).
final class LastSiteIndex: Sendable {
    /// What a build made from a site index: its pages, data files, shared parts and every path
    /// but the record pages' (`PageReuse.fingerprints`' `others`).
    typealias Made = (pages: [PageSpec], generated: [GeneratedFile], parts: PageParts, others: [String])

    private let kept = Mutex<(key: UInt64, site: SiteIndex, actionParts: [UInt64]?, made: Made?)?>(nil)
    /// The last build's output paths and their entry digest (`BuildState.names(of:)`).
    private let lastNames = Mutex<(paths: [String], digest: UInt64)?>(nil)

    /// `digest(paths)`, or the last build's when it wrote the same paths (a save of run details).
    func names(of paths: [String], _ digest: ([String]) -> UInt64) -> UInt64 {
        if let known = lastNames.withLock({ $0 }), known.paths == paths { return known.digest }
        let value = digest(paths)
        lastNames.withLock { $0 = (paths, value) }
        return value
    }

    init() {}

    func site(for key: UInt64) -> SiteIndex? { kept.withLock { $0?.key == key ? $0?.site : nil } }

    func keep(_ site: SiteIndex, for key: UInt64) {
        kept.withLock { kept in
            if kept?.key != key { kept = (key, site, nil, nil) } else if kept?.site !== site { kept?.site = site; kept?.made = nil }
        }
    }

    /// The pages made from the kept site index of `key` (they read runs' details through it).
    func pages(for key: UInt64) -> Made? { kept.withLock { $0?.key == key ? $0?.made : nil } }

    func keepPages(_ made: Made, for key: UInt64) {
        kept.withLock { kept in if kept?.key == key { kept?.made = made } }
    }

    /// What each item page shows of the action views (`PageReuse.fingerprints`), for the site of `key`.
    func actionParts(for key: UInt64) -> [UInt64]? { kept.withLock { $0?.key == key ? $0?.actionParts : nil } }

    func keepActionParts(_ parts: [UInt64], for key: UInt64) {
        kept.withLock { kept in if kept?.key == key { kept?.actionParts = parts } }
    }
}
