public import DrillbookModel
public import Foundation
import Synchronization
import Yams

/// One record of any supported kind, as `drillbook inspect FILE` shows it.
public enum LoadedRecord: Sendable, Hashable {
    /// `drills/<id>.yaml`.
    case drill(DrillDefinition)
    /// `runs/**/<id>.json`.
    case run(DrillRun)
    /// `incidents/<id>.json`, `.log` or `.txt`, normalised.
    case incident(Incident)
    /// `actions/<ACTION-ID>.yaml`, with `actionId` taken from the file name.
    case actionUpdates([ActionUpdate])
    /// `schedule.yaml`.
    case schedule(DrillSchedule)
    /// `site.yaml`.
    case site(SiteConfiguration)
}

/// Everything a content folder holds, and every problem found in it.
public struct ContentLoadResult: Sendable {
    /// The records that loaded (files that could not be read are left out).
    public var history: DrillHistory
    /// Every problem, sorted by file, line and message.
    public var issues: [ContentIssue]

    /// A result as `ContentLoader.load()` makes it (also handy in tests of later steps).
    public init(history: DrillHistory, issues: [ContentIssue]) {
        self.history = history
        self.issues = issues
    }

    /// True when any issue is an error (`drillbook` then exits 1).
    public var hasErrors: Bool { issues.contains { $0.isError } }
}

/// Loads and validates a content folder (`drills/`, `runs/`, `incidents/`, `actions/`,
/// `schedule.yaml`). Files are read in parallel and decoded once; bad records never stop the
/// load: every problem is collected with its file, line and JSON path.
public struct ContentLoader: Sendable {
    /// The content folder, as the user gave it; issues name files relative to it the same way.
    public let contentDirectory: URL

    /// Told of every read and decode of a file, when set (from `ContentReadLog.current` when the
    /// loader is made): how tests hold a build to one read and one decode per file.
    public var readLog: ContentReadLog?

    /// Decoded records kept from earlier loads of this folder (`drillbook serve`, the build cache), when set:
    /// unchanged files are not decoded again (`RecordCache` says how it tells).
    public var cache: RecordCache?

    /// A loader for `contentDirectory` (relative URLs are kept as given, for messages).
    public init(contentDirectory: URL) {
        self.contentDirectory = contentDirectory
        self.readLog = ContentReadLog.current
    }

    /// Loads and validates everything; never throws for bad records: it collects every problem.
    public func load() -> ContentLoadResult {
        let root = contentDirectory.standardizedFileURL
        var issues: [ContentIssue] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return ContentLoadResult(
                history: DrillHistory(),
                issues: [.error(displayRoot, nil, "the content folder does not exist; expected a folder with drills/, runs/ and incidents/")])
        }
        let (files, listingIssues) = listFiles(root: root)
        issues += listingIssues

        // Read and decode every file in parallel; results land in their own slot.
        let slots = Mutex<[FileOutcome?]>(Array(repeating: nil, count: files.count))
        let interner = StringInterner()
        cache?.beginLoad()
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let file = files[index]
            let outcome = cache?.outcome(of: file, read: { contents(of: file) }, decode: { loadFile(file, interner: interner, contents: $0) })
                ?? loadFile(file, interner: interner)
            slots.withLock { $0[index] = outcome }
        }
        cache?.keep(only: Set(files.map(\.relative)))
        // Taken out of the slots, not copied: both lists would otherwise live to the end of the load.
        var outcomes = slots.withLock { slots in
            defer { slots = [] }
            return slots.compactMap { $0 }
        }
        for outcome in outcomes { issues += outcome.issues }

        var drills: [DrillDefinition] = []
        var runs: [DrillRun] = []
        var incidents: [Incident] = []
        var updateFiles: [(file: ContentFile, updates: [ActionUpdate])] = []
        var schedule: DrillSchedule? = nil
        var site: SiteConfiguration? = nil
        var sourcePaths: [String: String] = [:]
        var drillFiles: [String: ContentFile] = [:]
        var runFiles: [String: ContentFile] = [:]
        var incidentFiles: [String: ContentFile] = [:]
        // The ids that name pages, gathered as the records are kept (no second lookup by id).
        var drillClaims: [PageClaim] = []
        var runClaims: [PageClaim] = []
        var incidentClaims: [PageClaim] = []

        func duplicate(_ kind: String, _ id: String, _ file: ContentFile, first: ContentFile) {
            issues.append(
                .error(
                    file.display, locate(file, [.key("id")]),
                    "duplicate \(kind) id " + quoted(id) + ": also defined in " + first.display
                        + "; ids must be unique (this file is skipped)"))
        }

        for outcome in outcomes {
            guard let record = outcome.record else { continue }
            let file = outcome.file
            switch record {
            case .drill(let drill):
                if let first = drillFiles[drill.id] {
                    duplicate("drill", drill.id, file, first: first)
                    continue
                }
                drillFiles[drill.id] = file
                drillClaims.append(PageClaim(id: drill.id, file: file))
                sourcePaths[drill.id] = file.relative
                drills.append(drill)
            case .run(let run):
                if let first = runFiles[run.id] {
                    duplicate("run", run.id, file, first: first)
                    continue
                }
                runFiles[run.id] = file
                runClaims.append(PageClaim(id: run.id, file: file))
                sourcePaths[run.id] = file.relative
                runs.append(run)
            case .incident(let incident):
                if let first = incidentFiles[incident.id] {
                    duplicate("incident", incident.id, file, first: first)
                    continue
                }
                incidentFiles[incident.id] = file
                incidentClaims.append(PageClaim(id: incident.id, file: file))
                sourcePaths[incident.id] = file.relative
                incidents.append(incident)
            case .actionUpdates(let updates):
                updateFiles.append((file, updates))
            case .schedule(let loaded):
                schedule = loaded
            case .site(let loaded):
                site = loaded
            }
        }

        outcomes.removeAll()
        issues += pageNameCollisions(drillClaims, kind: .drill)
        issues += pageNameCollisions(runClaims, kind: .run)
        issues += pageNameCollisions(incidentClaims, kind: .incident)
        drillClaims = []
        runClaims = []
        incidentClaims = []

        // Cross-record checks.
        let drillsById = Dictionary(drills.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for run in runs {
            guard let file = runFiles[run.id] else { continue }
            guard let drill = drillsById[run.drillId] else {
                let known = drills.map(\.id).sorted()
                issues.append(
                    .error(
                        file.display, locate(file, [.key("drillId")]),
                        "no drill has the id " + quoted(run.drillId) + "; expected one of the drills in drills/"
                            + (known.isEmpty ? " (there are none)" : ": " + known.joined(separator: ", "))))
                continue
            }
            let criterionIds = Set(drill.successCriteria.map(\.id))
            for (index, result) in run.criteria.enumerated() where !criterionIds.contains(result.criterionId) {
                issues.append(
                    .error(
                        file.display, locate(file, [.key("criteria"), .index(index), .key("criterionId")]),
                        "drill " + quoted(drill.id) + " defines no criterion " + quoted(result.criterionId)
                            + "; expected one of " + drill.successCriteria.map(\.id).joined(separator: ", ")))
            }
        }

        // Action items are unique across runs and incidents.
        var actionFiles: [String: ContentFile] = [:]
        let owners: [(file: ContentFile, items: [ActionItem])] =
            runs.compactMap { run in runFiles[run.id].map { ($0, run.actionItems) } }
            + incidents.compactMap { incident in incidentFiles[incident.id].map { ($0, incident.actionItems) } }
        var actionClaims: [PageClaim] = []
        for (file, items) in owners.sorted(by: { $0.file.relative < $1.file.relative }) {
            for (index, item) in items.enumerated() {
                actionClaims.append(PageClaim(id: item.id, file: file, actionItem: index))
                if let first = actionFiles[item.id] {
                    issues.append(
                        .error(
                            file.display, locate(file, [.key("actionItems"), .index(index), .key("id")]),
                            "duplicate action item id " + quoted(item.id) + ": also raised in " + first.display
                                + "; action item ids must be unique across runs and incidents"))
                } else {
                    actionFiles[item.id] = file
                }
            }
        }

        issues += pageNameCollisions(actionClaims, kind: .actionItem)
        actionClaims = []

        let runIds = Set(runs.map(\.id))
        for incident in incidents {
            guard let file = incidentFiles[incident.id], let runId = incident.drillRunId, !runIds.contains(runId) else { continue }
            issues.append(
                .warning(file.display, locate(file, [.key("drillRunId")]), "no run has the id " + quoted(runId) + "; expected the id of a run in runs/"))
        }

        var actionUpdates: [ActionUpdate] = []
        for (file, updates) in updateFiles {
            let actionId = file.actionId
            if actionFiles[actionId] == nil {
                issues.append(
                    .error(
                        file.display, nil,
                        "no run or incident raises an action item " + quoted(actionId)
                            + "; the file name must be the id of an action item (e.g. AI-2026-014.yaml)"))
                continue
            }
            sourcePaths[actionId] = file.relative
            actionUpdates += updates.enumerated().sorted { ($0.element.on, $0.offset) < ($1.element.on, $1.offset) }.map(\.element)
        }

        let history = DrillHistory(
            drills: drills, runs: runs, incidents: incidents, actionUpdates: actionUpdates,
            schedule: schedule ?? .playbook, sourcePaths: sourcePaths,
            site: site ?? SiteConfiguration())
        return ContentLoadResult(history: history, issues: ContentIssue.sorted(issues))
    }

    /// Loads one file of any supported kind (used by `drillbook inspect FILE`): the record, or
    /// every problem when it could not be read or has errors. Cross-record checks are not made.
    public func loadRecord(at file: URL) -> Result<LoadedRecord, ContentIssues> {
        let inspected = inspectRecord(at: file)
        if let record = inspected.record, !inspected.issues.contains(where: \.isError) { return .success(record) }
        return .failure(ContentIssues(inspected.issues))
    }

    /// One file's record (when it could be read) with all its issues, warnings included.
    public func inspectRecord(at file: URL) -> (record: LoadedRecord?, issues: [ContentIssue]) {
        let display = file.relativePath
        let name = file.lastPathComponent
        let folder = ContentFolder(
            pathPrefix: file.deletingLastPathComponent().path + "/",
            displayPrefix: display.hasSuffix(name) ? String(display.dropLast(name.count)) : "")
        let outcomeFile = ContentFile(folder: folder, relative: name, kind: Self.kind(of: file) ?? .run)
        guard let kind = Self.kind(of: file) else {
            return (nil, [.error(display, nil, "cannot tell what kind of record this is; expected a .yaml drill or schedule, a .json run or incident, an incident .log/.txt, or a file in actions/")])
        }
        var target = outcomeFile
        target.kind = kind
        let outcome = loadFile(target)
        return (outcome.record, ContentIssue.sorted(outcome.issues))
    }

    // MARK: - Files

    enum Kind: Sendable {
        case drill, run, incidentJSON, incidentText, actionUpdates, schedule, site
    }

    /// Where a batch of files lives, shared by all of them: a `URL` and a display path per file
    /// cost about 1 KB each, alive for the whole load, at 10,000 runs.
    final class ContentFolder: Sendable {
        /// The folder's path ending in `/`.
        let pathPrefix: String
        /// What goes before a relative path to show it as the user would type it (`content/`, or
        /// nothing for `.`).
        let displayPrefix: String

        /// The folder's canonical path (`realpath`) when its files may be read only inside it (a
        /// content folder); nil for a file the user named (`inspect FILE`).
        let realRoot: String?

        init(pathPrefix: String, displayPrefix: String, realRoot: String? = nil) {
            self.pathPrefix = pathPrefix
            self.displayPrefix = displayPrefix
            self.realRoot = realRoot
        }
    }

    struct ContentFile: Sendable {
        var folder: ContentFolder
        /// Relative to the content folder, with `/`.
        var relative: String
        var kind: Kind
        var path: String { folder.pathPrefix + relative }
        var url: URL { URL(fileURLWithPath: path) }
        /// As the user would type it.
        var display: String { folder.displayPrefix + relative }
        /// `AI-2026-014` for `actions/AI-2026-014.yaml`.
        var actionId: String {
            let name = relative.split(separator: "/").last.map(String.init) ?? relative
            guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
            return String(name[..<dot])
        }
    }

    struct FileOutcome: Sendable {
        var file: ContentFile
        var record: LoadedRecord?
        var issues: [ContentIssue]
    }

    /// The content directory as the user gave it, without a trailing slash.
    var displayRoot: String {
        var path = contentDirectory.relativePath
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    func display(_ relative: String) -> String {
        displayRoot == "." ? relative : displayRoot + "/" + relative
    }

    /// Guesses a single file's kind from its folder, name and extension.
    static func kind(of file: URL) -> Kind? {
        let ext = file.pathExtension.lowercased()
        let folders = file.deletingLastPathComponent().standardizedFileURL.pathComponents
        let name = file.deletingPathExtension().lastPathComponent.lowercased()
        switch ext {
        case "log", "txt": return .incidentText
        case "yaml", "yml":
            if name == "schedule" { return .schedule }
            if name == "site" && folders.last != "drills" { return .site }
            if folders.last == "actions" { return .actionUpdates }
            return .drill
        case "json":
            if folders.last == "actions" { return .actionUpdates }
            if folders.last == "incidents" { return .incidentJSON }
            if folders.contains("runs") { return .run }
            // Elsewhere: look at the top-level keys.
            guard let data = try? Data(contentsOf: file), let text = String(data: data, encoding: .utf8) else { return .run }
            if text.contains("\"drillId\"") { return .run }
            if text.contains("\"declaredAt\"") { return .incidentJSON }
            if text.contains("\"updates\"") { return .actionUpdates }
            return .run
        default:
            return nil
        }
    }

    /// Every file to load, in path order, with the walk's issues. The rules for symbolic links,
    /// loops and special files are `ContentWalk`'s; each folder is read once, so the walk is
    /// linear in the number of entries whatever links the folder holds.
    private func listFiles(root: URL) -> ([ContentFile], [ContentIssue]) {
        typealias Identity = ContentWalk.Identity
        var files: [ContentFile] = []
        var issues: [ContentIssue] = []
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        guard let realRoot = ContentWalk.realPath(rootPath) else {
            return ([], [.error(displayRoot, nil, "cannot read the content folder")])
        }
        let folder = ContentFolder(
            pathPrefix: rootPath, displayPrefix: displayRoot == "." ? "" : displayRoot + "/", realRoot: realRoot)
        // Folders read (or not to be read as runs/ folders) and files listed, by device and inode.
        var visited: Set<Identity> = []
        var listed: Set<Identity> = []
        // Files behind a link or in a linked folder: listed after all others, when not listed yet.
        var deferred: [(relative: String, kind: Kind, identity: Identity)] = []

        func entry(_ relative: String) -> ContentWalk.Entry {
            ContentWalk.entry(at: rootPath + relative, realRoot: realRoot)
        }
        func reject(_ found: ContentWalk.Entry, _ relative: String) {
            if let problem = ContentWalk.problem(found, display: display(relative)) { issues.append(problem) }
        }
        func names(_ relative: String) -> [String] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: rootPath + relative) else { return [] }
            return names.filter { !$0.hasPrefix(".") }.sorted()
        }
        func add(_ relative: String, _ kind: Kind, _ identity: Identity, throughLink: Bool) {
            if throughLink {
                deferred.append((relative, kind, identity))
            } else if listed.insert(identity).inserted {
                files.append(ContentFile(folder: folder, relative: relative, kind: kind))
            }
        }
        func ignored(_ relative: String, _ expected: String) {
            issues.append(.warning(display(relative), nil, "not loaded: " + expected))
        }
        func topFolder(_ name: String) -> (identity: Identity, isLink: Bool)? {
            let found = entry(name)
            guard case .folder(let identity, let isLink) = found else {
                if case .file = found {} else { reject(found, name) }
                return nil
            }
            return (identity, isLink)
        }
        if case .folder(let identity, _) = ContentWalk.entry(at: rootPath, realRoot: realRoot) { visited.insert(identity) }

        /// `drills/`, `incidents/`, `actions/`: files by extension; folders in them are not read.
        func flat(_ name: String, expected: String, _ kind: (String) -> Kind?) {
            guard let top = topFolder(name) else { return }
            visited.insert(top.identity)
            for entryName in names(name) {
                let relative = name + "/" + entryName
                let found = entry(relative)
                let fileKind = kind((entryName as NSString).pathExtension.lowercased())
                switch found {
                case .folder, .missing: break
                case .file(let identity, let isLink):
                    if let fileKind { add(relative, fileKind, identity, throughLink: top.isLink || isLink) } else { ignored(relative, expected) }
                case .special, .outside, .brokenLink:
                    if fileKind != nil { reject(found, relative) } else { ignored(relative, expected) }
                }
            }
        }
        flat("drills", expected: "drills/ holds one .yaml (or .yml) file per drill") { ["yaml", "yml"].contains($0) ? .drill : nil }
        flat("incidents", expected: "incidents/ holds .json, .log or .txt files") {
            $0 == "json" ? .incidentJSON : ["log", "txt"].contains($0) ? .incidentText : nil
        }
        flat("actions", expected: "actions/ holds <ACTION-ID>.yaml files") { ["yaml", "yml", "json"].contains($0) ? .actionUpdates : nil }

        // runs/ at any depth, in a stable order: every folder outside links first, then the
        // linked ones; each folder once, however many links lead to it.
        typealias Pending = (relative: String, identity: Identity, throughLink: Bool)
        var pending: [Pending] = []
        var linked: [Pending] = []
        if let top = topFolder("runs") {
            if top.isLink { linked.append(("runs", top.identity, true)) } else { pending.append(("runs", top.identity, false)) }
        }
        while let next = pending.popLast() ?? linked.popLast() {
            guard visited.insert(next.identity).inserted else { continue }
            var subfolders: [Pending] = []
            var linkedSubfolders: [Pending] = []
            for name in names(next.relative) {
                let relative = next.relative + "/" + name
                let found = entry(relative)
                let isJSON = (name as NSString).pathExtension.lowercased() == "json"
                switch found {
                case .missing: break
                case .folder(let identity, let isLink):
                    guard !visited.contains(identity) else { continue }
                    if next.throughLink || isLink {
                        linkedSubfolders.append((relative, identity, true))
                    } else {
                        subfolders.append((relative, identity, false))
                    }
                case .file(let identity, let isLink):
                    if isJSON {
                        add(relative, .run, identity, throughLink: next.throughLink || isLink)
                    } else {
                        ignored(relative, "runs/ holds one .json file per run")
                    }
                case .special:
                    if isJSON { reject(found, relative) } else { ignored(relative, "runs/ holds one .json file per run") }
                case .outside, .brokenLink:
                    reject(found, relative)
                }
            }
            pending += subfolders.reversed()
            linked += linkedSubfolders.reversed()
        }

        // The single files at the top of the content folder, each as `.yaml` or `.yml` (one, not both).
        for (stem, kind) in [("schedule", Kind.schedule), ("site", Kind.site)] {
            var found: [(relative: String, identity: Identity, isLink: Bool)] = []
            for name in [stem + ".yaml", stem + ".yml"] {
                let entry = entry(name)
                if case .file(let identity, let isLink) = entry { found.append((name, identity, isLink)) } else { reject(entry, name) }
            }
            if let first = found.first { add(first.relative, kind, first.identity, throughLink: first.isLink) }
            if found.count > 1 {
                issues.append(.error(display(found[1].relative), nil, "both \(stem).yaml and \(stem).yml exist; keep one"))
            }
        }
        for file in deferred where listed.insert(file.identity).inserted {
            files.append(ContentFile(folder: folder, relative: file.relative, kind: file.kind))
        }
        files.sort { $0.relative < $1.relative }
        return (files, issues)
    }

    /// The bytes of a file the walk listed (or `inspect` was given), by `ContentWalk`'s rules.
    func contents(of file: ContentFile) -> Result<[UInt8], ContentIssue> {
        readLog?.record(.read, of: file.relative)
        return ContentWalk.contents(atPath: file.path, realRoot: file.folder.realRoot)
            .mapError { .error(file.display, nil, ContentWalk.message($0)) }
    }

    // MARK: - One file

    /// Reads, decodes and checks one file; a run's repeated fields go through `interner` when given.
    /// `given` is the file's bytes when the caller read them already (the record cache does, to digest them).
    func loadFile(_ file: ContentFile, interner: StringInterner? = nil, contents given: Result<[UInt8], ContentIssue>? = nil) -> FileOutcome {
        let bytes: [UInt8]
        switch given ?? contents(of: file) {
        case .success(let loaded): bytes = loaded
        case .failure(let issue): return FileOutcome(file: file, record: nil, issues: [issue])
        }
        let display = file.display
        readLog?.record(.decode, of: file.relative)
        // Every record is UTF-8 text: the first byte that is not is named here, for every kind.
        if let invalid = UTF8Text.firstInvalidByte(in: bytes) {
            return FileOutcome(file: file, record: nil, issues: [UTF8Text.issue(invalid, file: display)])
        }
        switch file.kind {
        case .run:
            let decoded = RecordDecoding.json(DrillRun.self, bytes: bytes, shape: RecordShapes.drillRun, file: display)
            guard let run = decoded.value else { return FileOutcome(file: file, record: nil, issues: decoded.issues) }
            let issues = decoded.issues + RecordChecks.check(run: run, file: display, source: decoded.source)
            return FileOutcome(file: file, record: .run(interner?.intern(run) ?? run), issues: issues)
        case .incidentJSON:
            let decoded = RecordDecoding.json(Incident.self, bytes: bytes, shape: RecordShapes.incident, file: display)
            guard let incident = decoded.value else { return FileOutcome(file: file, record: nil, issues: decoded.issues) }
            return FileOutcome(
                file: file, record: .incident(incident),
                issues: decoded.issues + RecordChecks.check(incident: incident, file: display, source: decoded.source))
        case .incidentText:
            let text = UTF8Text.text(of: bytes)
            let parsed = IncidentText.parseDetailed(text, file: display)
            guard let incident = parsed.incident else { return FileOutcome(file: file, record: nil, issues: parsed.issues) }
            return FileOutcome(
                file: file, record: .incident(incident),
                issues: parsed.issues + RecordChecks.check(incident: incident, file: display, source: .text(parsed.lines)))
        case .drill:
            let text = UTF8Text.text(of: bytes)
            // The one code path `drillbook run` uses too (`DrillFileReader`).
            let decoded = Self.decodeDrill(yaml: text, file: display)
            return FileOutcome(file: file, record: decoded.drill.map(LoadedRecord.drill), issues: decoded.issues)
        case .schedule:
            let text = UTF8Text.text(of: bytes)
            let decoded = RecordDecoding.yaml(DrillSchedule.self, text: text, shape: RecordShapes.schedule, file: display)
            guard let schedule = decoded.value else { return FileOutcome(file: file, record: nil, issues: decoded.issues) }
            return FileOutcome(
                file: file, record: .schedule(schedule),
                issues: decoded.issues + RecordChecks.check(schedule: schedule, file: display, source: decoded.source))
        case .site:
            let text = UTF8Text.text(of: bytes)
            let decoded = RecordDecoding.yaml(SiteConfiguration.self, text: text, shape: RecordShapes.site, file: display)
            guard let site = decoded.value else { return FileOutcome(file: file, record: nil, issues: decoded.issues) }
            return FileOutcome(
                file: file, record: .site(site),
                issues: decoded.issues + RecordChecks.check(site: site, file: display, source: decoded.source))
        case .actionUpdates:
            let decoded: (value: ActionUpdatesFile?, issues: [ContentIssue], source: SourceText)
            if file.url.pathExtension.lowercased() == "json" {
                decoded = RecordDecoding.json(ActionUpdatesFile.self, bytes: bytes, shape: RecordShapes.actionUpdates, file: display)
            } else {
                let text = UTF8Text.text(of: bytes)
                decoded = RecordDecoding.yaml(ActionUpdatesFile.self, text: text, shape: RecordShapes.actionUpdates, file: display)
            }
            guard let value = decoded.value else { return FileOutcome(file: file, record: nil, issues: decoded.issues) }
            let updates = value.updates(actionId: file.actionId)
            return FileOutcome(
                file: file, record: .actionUpdates(updates),
                issues: decoded.issues + RecordChecks.check(updates: updates, file: display, source: decoded.source))
        }
    }

    /// Decodes one drill definition from YAML text, with the same checks and messages as a
    /// folder load (`file` names it in messages). The executor reads drill files through this.
    public static func decodeDrill(yaml text: String, file: String) -> (drill: DrillDefinition?, issues: [ContentIssue]) {
        let decoded = RecordDecoding.yaml(DrillDefinition.self, text: text, shape: RecordShapes.drillDefinition, file: file)
        // An unknown key under `execution:` is an error: the executor would silently skip it
        // (`abortif:` for `abortIf:` drops a stop condition), so the drill could pass untested.
        let shapeIssues = decoded.issues.map(ExecutionChecks.refusingUnknownKeys)
        guard let drill = decoded.value else { return (nil, ContentIssue.sorted(shapeIssues)) }
        let issues = shapeIssues + RecordChecks.check(drill: drill, file: file, source: decoded.source)
        return (drill, ContentIssue.sorted(issues))
    }

    static func utf8(_ bytes: [UInt8]) -> String? {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        return String(validating: body, as: UTF8.self)
    }

    /// Where `path` is in `file`, for cross-record issues: the file is read again (only on error).
    func locate(_ file: ContentFile, _ path: [PathElement]) -> ContentLocation {
        guard case .success(let bytes) = contents(of: file) else { return .jsonPath(path.jsonPath) }
        switch file.kind {
        case .run, .incidentJSON:
            return SourceText.json(bytes).location(path)
        case .incidentText:
            guard let text = Self.utf8(bytes) else { return .jsonPath(path.jsonPath) }
            return SourceText.text(IncidentText.parseDetailed(text, file: file.display).lines).location(path)
        case .drill, .schedule, .site, .actionUpdates:
            guard let text = Self.utf8(bytes), let node = try? Yams.compose(yaml: text) else { return .jsonPath(path.jsonPath) }
            return SourceText.yaml(node).location(path)
        }
    }
}

extension ContentLoader {
    /// The site configuration of the content folder `directory` (`site.yaml`, else `site.yml`),
    /// defaults when it has none, with the file's problems: for commands that need the settings
    /// without loading every record (`drillbook announce`).
    public static func siteConfiguration(in directory: URL) -> (configuration: SiteConfiguration, issues: [ContentIssue]) {
        let loader = ContentLoader(contentDirectory: directory)
        for name in ["site.yaml", "site.yml"] {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            switch loader.loadRecord(at: url) {
            case .success(.site(let site)): return (site, [])
            case .success: return (SiteConfiguration(), [])
            case .failure(let problems): return (SiteConfiguration(), problems.issues)
            }
        }
        return (SiteConfiguration(), [])
    }
}

/// The file format of `actions/<ACTION-ID>.yaml` (or `.json`): the item's updates, oldest first.
/// Each `ActionUpdate` is written without its `actionId`, which is the file's name.
public struct ActionUpdatesFile: Sendable, Hashable, Codable {
    public var updates: [ActionUpdate]

    public init(updates: [ActionUpdate]) { self.updates = updates }

    /// The updates, each with `actionId` set (the file's name).
    public func updates(actionId: String) -> [ActionUpdate] {
        updates.map { update in
            var update = update
            update.actionId = actionId
            return update
        }
    }
}

/// Every read and decode of a content file, by path relative to the content folder: tests set
/// `ContentReadLog.$current` around a build and check that no file is read or decoded twice.
public final class ContentReadLog: Sendable {
    public enum Event: Sendable, Hashable { case read, decode }

    /// The log a `ContentLoader` made in this task reports to.
    @TaskLocal public static var current: ContentReadLog?

    private let counts = Mutex<[String: [Event: Int]]>([:])

    public init() {}

    func record(_ event: Event, of relative: String) {
        counts.withLock { $0[relative, default: [:]][event, default: 0] += 1 }
    }

    /// How often each file had `event`, by relative path.
    public func counts(of event: Event) -> [String: Int] {
        counts.withLock { counts in counts.compactMapValues { $0[event] } }
    }
}
