public import DrillbookModel
public import Foundation
import Yams

/// An environment file (`content/environments/<name>.yaml`): read, shaped and checked like every
/// record. Unknown keys are warnings; a value that does not fit is a located error
/// (`environments/staging.yaml:7: $.hosts[1]: expected a host name, …`).
public enum EnvironmentFile {
    /// The folder of environment files inside a content folder.
    public static let folderName = "environments"

    /// Decodes and checks an environment file's text; `file` names it in messages.
    public static func decode(yaml text: String, file: String) -> (environment: RunEnvironment?, issues: [ContentIssue]) {
        let decoded = RecordDecoding.yaml(RunEnvironment.self, text: text, shape: EnvironmentShapes.environment, file: file)
        guard let environment = decoded.value else { return (nil, ContentIssue.sorted(decoded.issues)) }
        let issues = decoded.issues + check(environment, file: file, source: decoded.source)
        return (environment, ContentIssue.sorted(issues))
    }

    /// Reads and checks the environment file at `url` (named in messages by `display`, else its path).
    public static func read(_ url: URL, display: String? = nil) -> (environment: RunEnvironment?, issues: [ContentIssue]) {
        let name = display ?? url.relativePath
        guard let data = try? Data(contentsOf: url) else {
            return (nil, [.error(name, nil, "cannot read the file; expected an environment file (.yaml)")])
        }
        switch UTF8Text.decode([UInt8](data), file: name) {
        case .success(let text): return decode(yaml: text, file: name)
        case .failure(let issue): return (nil, [issue])
        }
    }

    /// Every environment file of a content folder (`environments/*.yaml`, `*.yml`), checked, and
    /// the problems, for `drillbook check`. A file whose `name` is not its file name is an error:
    /// `--environment staging` finds `staging.yaml`.
    public static func loadAll(in contentDirectory: URL, display: String) -> (environments: [RunEnvironment], issues: [ContentIssue]) {
        let folder = contentDirectory.appendingPathComponent(folderName)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return ([], []) }
        var environments: [RunEnvironment] = []
        var issues: [ContentIssue] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let shown = (display as NSString).appendingPathComponent(folderName + "/" + name)
            let (environment, found) = read(folder.appendingPathComponent(name), display: shown)
            issues += found
            guard let environment else { continue }
            let stem = (name as NSString).deletingPathExtension
            if environment.name.trimmingSpacesAndTabs != stem {
                issues.append(.error(shown, locate(shown, folder.appendingPathComponent(name), [.key("name")]),
                    "expected the file's own name, \(quoted(stem)) (--environment \(stem) looks for this file), got \(quoted(environment.name))"))
            }
            environments.append(environment)
        }
        return (environments, issues)
    }

    /// Where `--environment NAME` looks for the file: beside the drill's `drills/` folder
    /// (`<content>/environments/NAME.yaml` for `<content>/drills/x.yaml`), then
    /// `content/environments/NAME.yaml` in the current folder; `.yaml` before `.yml`. Nil when
    /// there is none.
    public static func find(_ name: String, drillFile: URL) -> URL? {
        var folders: [URL] = []
        let drillFolder = drillFile.deletingLastPathComponent()
        if drillFolder.lastPathComponent == "drills" {
            folders.append(drillFolder.deletingLastPathComponent().appendingPathComponent(folderName))
        }
        folders.append(URL(fileURLWithPath: "content").appendingPathComponent(folderName))
        let safe = !name.isEmpty && !name.contains("/") && name != "." && name != ".."
        guard safe else { return nil }
        for folder in folders {
            for suffix in [".yaml", ".yml"] {
                let url = folder.appendingPathComponent(name + suffix)
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
        }
        return nil
    }

    /// The names `${secret:NAME}` refers to in `text`, in order of appearance, each once.
    public static func secretNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "${secret:") {
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else { break }
            let name = String(after[..<close])
            if !names.contains(name) { names.append(name) }
            rest = after[after.index(after: close)...]
        }
        return names
    }

    /// True for a variable or secret name: a letter or `_`, then letters, digits and `_`
    /// (a shell variable's name, so a command can refer to it).
    public static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// True for the names the run itself sets (`RUN_DIR`, `DRILL_DIR`, `PORT_<n>`, `PID_<step>`).
    public static func isRunVariable(_ name: String) -> Bool {
        name == "RUN_DIR" || name == "DRILL_DIR" || name.hasPrefix("PID_")
            || (name.hasPrefix("PORT_") && !name.dropFirst(5).isEmpty && name.dropFirst(5).allSatisfy(\.isNumber))
    }

    /// A located error at a path of a YAML file given as text (for checks made outside this
    /// module, such as the executor's blast radius): `drills/x.yaml:31: $.execution.steadyState[0].http: MESSAGE`.
    public static func issue(file: String, yaml text: String, path: [RecordPathStep], message: String) -> ContentIssue {
        let elements = path.map(\.element)
        guard let node = try? Yams.compose(yaml: text) else { return .error(file, .jsonPath(elements.jsonPath), message) }
        return .error(file, SourceText.yaml(node).location(elements), message)
    }

    static func locate(_ display: String, _ url: URL, _ path: [PathElement]) -> ContentLocation {
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8),
            let node = try? Yams.compose(yaml: text)
        else { return .jsonPath(path.jsonPath) }
        return SourceText.yaml(node).location(path)
    }

    static func check(_ environment: RunEnvironment, file: String, source: SourceText) -> [ContentIssue] {
        var issues: [ContentIssue] = []
        func error(_ path: [PathElement], _ message: String) { issues.append(.error(file, source.location(path), message)) }
        func secrets(in text: String, at path: [PathElement]) {
            for name in secretNames(in: text) where !isVariableName(name) {
                error(path, "expected ${secret:NAME} to name an environment variable (letters, digits and _), got \(quoted("${secret:" + name + "}"))")
            }
        }
        func variables(_ values: [String: String], at path: [PathElement]) {
            for (name, value) in values.sorted(by: { $0.key < $1.key }) {
                if !isVariableName(name) || isRunVariable(name) {
                    error(path + [.key(name)], "expected a variable name of letters, digits and _ (not RUN_DIR, DRILL_DIR, PORT_<n> or PID_<step>, which the run sets), got \(quoted(name))")
                }
                secrets(in: value, at: path + [.key(name)])
            }
        }
        let name = environment.name.trimmingSpacesAndTabs
        if name.isEmpty || !name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) })
            || name.hasPrefix(".") || name == "local"
        {
            error([.key("name")], "expected an environment name of letters, digits, -, _ and . (not local, which is the local realisation), got \(quoted(environment.name))")
        }
        if environment.hosts.isEmpty {
            error([.key("hosts")], "expected at least one host: the hosts a drill may touch (names, IP addresses, CIDR ranges)")
        }
        for (index, host) in environment.hosts.enumerated() where HostAllowlist.entry(host) == nil {
            error([.key("hosts"), .index(index)], "expected a host name, an IP address or a CIDR range like 10.20.0.0/16, got \(quoted(host))")
        }
        variables(environment.variables, at: [.key("variables")])
        let allowlist = HostAllowlist(environment.hosts)
        // A target is judged only against a list read whole (no follow-on errors).
        let hostsReadable = !environment.hosts.isEmpty && allowlist.entries.count == environment.hosts.count
        var seen: Set<String> = []
        for (index, drill) in environment.drills.enumerated() {
            let at: [PathElement] = [.key("drills"), .index(index)]
            if !seen.insert(drill.id).inserted {
                error(at + [.key("id")], "the drill \(quoted(drill.id)) is listed twice; expected one entry per drill")
            }
            variables(drill.variables, at: at + [.key("variables")])
            var replaced: Set<String> = []
            for (position, action) in drill.replace.enumerated() {
                let here = at + [.key("replace"), .index(position)]
                if !replaced.insert(action.name).inserted {
                    error(here + [.key("name")], "the action \(quoted(action.name)) is replaced twice; expected one replacement per action")
                }
                let kinds = [action.run, action.http].compactMap { $0 }.count
                if kinds != 1 { error(here, "expected exactly one of run or http; found \(kinds)") }
                if let timeout = action.timeout, !(timeout > 0) {
                    error(here + [.key("timeout")], "expected a positive number of seconds, got \(MetricFormat.number(timeout))")
                }
                for (key, text) in [("run", action.run), ("http", action.http), ("target", action.target)] {
                    if let text { secrets(in: text, at: here + [.key(key)]) }
                }
                if hostsReadable, let target = action.target, !target.contains("${"), HostAllowlist.entry(target) != nil {
                    let bytes = HostAllowlist.addressBytes(target)
                    let inside = bytes.map(allowlist.allowsAddress) ?? allowlist.allowsName(target)
                    if !inside {
                        error(here + [.key("target")], "expected a host of this environment's hosts (\(allowlist)), got \(quoted(target))")
                    }
                }
            }
        }
        return issues
    }
}

/// One step of a path into a record, for `EnvironmentFile.issue`: a key or a list index.
public enum RecordPathStep: Sendable, Hashable {
    case key(String)
    case index(Int)

    var element: PathElement {
        switch self {
        case .key(let key): .key(key)
        case .index(let index): .index(index)
        }
    }
}

/// The shape of an environment file, as `RecordShapes` has the records'.
enum EnvironmentShapes {
    private static func p(_ name: String, _ shape: RecordShape, required: Bool = false, _ summary: String) -> ObjectShape.Property {
        ObjectShape.Property(name: name, shape: shape, required: required, summary: summary)
    }

    static let action = ObjectShape(
        name: "EnvironmentAction", summary: "What replaces a drill's action that acts on a local process.",
        properties: [
            p("name", .string(), required: true, "The drill's action it replaces."),
            p("run", .string(), "Command run through /bin/sh -c."),
            p("http", .string(), "HTTP request: METHOD URL."),
            p("target", .string(), "The host the command acts on, checked against hosts."),
            p("timeout", .number, "Seconds the action may take (default 30)."),
        ])

    static let drill = ObjectShape(
        name: "EnvironmentDrill", summary: "How one drill runs in the environment.",
        properties: [
            p("id", .string(), required: true, "The drill's id."),
            p("variables", .stringMap, "Values of this drill's variables, over the environment's."),
            p("skip", .array(.string()), "Local-realisation steps and actions that do not run here."),
            p("replace", .array(.object(action)), "Actions replaced by the environment's own."),
        ])

    static let environment = ObjectShape(
        name: "RunEnvironment", summary: "A named environment drills run against.",
        properties: [
            p("name", .string(), required: true, "The name --environment selects; the file's own name."),
            p("description", .string(), "What the environment is."),
            p("production", .boolean, "Declares the environment production (runs need --approve)."),
            p("hosts", .array(.string()), required: true, "The hosts a drill may touch: names, IP addresses, CIDR ranges."),
            p("variables", .stringMap, "Values of the variables drills refer to."),
            p("drills", .array(.object(drill)), "What changes per drill."),
        ])
}
